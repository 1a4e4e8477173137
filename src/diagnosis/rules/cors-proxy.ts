/**
 * Mistake 11: the request goes through a public CORS proxy (a third party that sees every token and
 * answer, with no SLA). Known by host name; the list is the well-known free services.
 */
import { publicCorsProxyHost } from '../../catalog/cors-proxies.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const corsProxy: Rule = {
  name: 'cors-proxy-in-use',
  detect(ctx): RuleFinding[] {
    const url = ctx.input.request.url;
    const host = publicCorsProxyHost(url);
    if (host === null) return [];
    const target = /https?:\/\/.*(https?:\/\/[^\s]+)$/i.exec(decodeURIComponentSafe(url))?.[1];
    return [
      {
        id: 'cors-proxy-in-use',
        severity: 'warning',
        detail: `The request goes through the public CORS proxy ${host}${target ? ` to reach ${target}` : ''}. It works around CORS by re-sending the request from its own server: it sees every token and answer, rate-limits, and can go away.`,
        evidence: [`URL: ${url}`],
        fixSummary: target
          ? `Configure CORS on ${originOf(target)} for your origin, or call it from your own back end; then drop the proxy.`
          : undefined,
      },
    ];
  },
};

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
