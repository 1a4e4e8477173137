/**
 * Not CORS: an https page fetching an http URL is blocked as mixed content before any request is sent
 * (Mixed Content §4.3 "Should fetching request be blocked"; loopback hosts are potentially trustworthy
 * and exempt). Chromium's console line is MixedContentChecker's.
 */
import { isLoopbackHost } from '../origins.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const mixedContent: Rule = {
  name: 'mixed-content',
  detect(ctx): RuleFinding[] {
    const { request, page } = ctx.input;
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      return [];
    }
    if (!request.origin.startsWith('https://') || target.protocol !== 'http:') return [];
    if (isLoopbackHost(target.hostname)) return [];
    const pageUrl = page?.url ?? `${request.origin}/`;
    const line = `Mixed Content: The page at '${pageUrl}' was loaded over HTTPS, but requested an insecure resource '${request.url}'. This request has been blocked; the content must be served over HTTPS.`;
    return [
      {
        id: 'mixed-content',
        severity: 'error',
        detail: `The page is https and the API URL is http, so the browser blocks the request before sending it (mixed content). DevTools may show it next to CORS errors, but no CORS header can fix it. Chrome prints: ${line}`,
        evidence: [`page origin ${request.origin}`, `API URL ${request.url}`, line],
        fixSummary: `Serve the API over https and call ${request.url.replace(/^http:/, 'https:')}.`,
      },
    ];
  },
};
