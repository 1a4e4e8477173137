/**
 * Building probe requests from the page's request. A probe is a page request the browser would never
 * send (another origin, no credentials, a missing path); the prober runs it through the browser model
 * like the page's own, so a probe that needs a preflight gets one.
 */
import type { PageRequest } from '../browser/types.ts';
import type { ProbeSpec } from './types.ts';

/** The page's request from another origin. Always `cors` mode: a probe exists to read the CORS answer. */
export function fromOrigin(request: PageRequest, origin: string): PageRequest {
  return { ...request, origin, mode: 'cors' };
}

export function probe(name: string, purpose: string, request: PageRequest): ProbeSpec {
  return { name, purpose, request };
}

const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
const SAFELISTED_CT = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * A rough pre-check (the model decides for real): does the page's request carry something that makes
 * the browser preflight it? Used only to decide whether a "simple request" probe is worth sending.
 */
export function likelyPreflighted(request: PageRequest): boolean {
  if (!SAFELISTED_METHODS.includes(request.method.toUpperCase())) return true;
  return request.headers.some(([n, v]) => {
    const l = n.toLowerCase();
    if (l === 'accept' || l === 'accept-language' || l === 'content-language') return false;
    if (l === 'content-type') return !SAFELISTED_CT.includes(v.split(';')[0]!.trim().toLowerCase());
    return true;
  });
}

/** The page's request stripped down to one the browser sends without a preflight. */
export function simpleVariant(request: PageRequest): PageRequest {
  const method = SAFELISTED_METHODS.includes(request.method.toUpperCase()) ? request.method : 'GET';
  return {
    ...request,
    method,
    mode: 'cors',
    headers: request.headers.filter(([n, v]) => {
      const l = n.toLowerCase();
      if (l === 'accept' || l === 'accept-language' || l === 'content-language') return true;
      return l === 'content-type' && SAFELISTED_CT.includes(v.split(';')[0]!.trim().toLowerCase());
    }),
  };
}

/** The same URL's directory with a last segment that surely does not exist (same host, same scheme). */
export function missingSibling(url: string): string | undefined {
  try {
    const u = new URL(url);
    const parts = u.pathname.split('/');
    parts[parts.length - 1] = 'cors-doctor-no-such-path';
    u.pathname = parts.join('/');
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}
