/**
 * `check --page <front-end URL>`: the policies that govern the page's own fetches (mistake 10). CSP applies
 * every policy delivered: each Content-Security-Policy header line (CSP3 §3.1) and each
 * `<meta http-equiv="Content-Security-Policy">` in the document's head (CSP3 §3.3). The policies are only
 * collected here; the diagnosis (pure) parses and evaluates them.
 *
 * Deliberately not modelled: Report-Only policies (they block nothing), a meta element placed after the
 * request is made or outside <head> (we take every meta element in the first 512 KiB).
 */
import type { PagePolicy } from '../diagnosis/types.ts';
import { fetchDocument } from './wire.ts';

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const n =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Attributes of one start tag, names lower-cased, values entity-decoded (HTML §13.2.5.32-38, simplified). */
function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of tag.matchAll(re)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** `<meta http-equiv="Content-Security-Policy" content="…">` values, in document order. */
export function metaPolicies(html: string): string[] {
  const out: string[] = [];
  // Comments hide meta elements.
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of text.matchAll(/<meta\b([^>]*)>/gi)) {
    const attrs = attributes(m[1] ?? '');
    if ((attrs.get('http-equiv') ?? '').trim().toLowerCase() === 'content-security-policy') {
      const content = attrs.get('content');
      if (content !== undefined) out.push(content);
    }
  }
  return out;
}

export type PageFetch =
  | { ok: true; policy: PagePolicy; status: number; headers: [string, string][]; ms: number }
  | { ok: false; netError: string; message: string; code: string; ms: number };

export async function fetchPagePolicy(
  url: string,
  opts: { timeoutMs: number; signal?: AbortSignal; ca?: string | Buffer; insecure?: boolean },
): Promise<PageFetch> {
  const doc = await fetchDocument(url, opts);
  if (!doc.ok) {
    return {
      ok: false,
      netError: doc.kind === 'network-error' ? doc.netError : 'net::ERR_FAILED',
      message: doc.kind === 'network-error' ? (doc.message ?? '') : '',
      code: doc.code ?? 'UNKNOWN',
      ms: doc.ms,
    };
  }
  const headerPolicies = doc.headers
    .filter(([n]) => n.toLowerCase() === 'content-security-policy')
    .map(([, v]) => v);
  return {
    ok: true,
    policy: { url, headerPolicies, metaPolicies: metaPolicies(doc.body) },
    status: doc.status,
    headers: doc.headers.map(([n, v]) => [n, v]),
    ms: doc.ms,
  };
}
