/**
 * Mistake 9: response headers the script cannot read. Fetch §3.2.3 / §4.9: a CORS response exposes only
 * the CORS-safelisted response header names plus those in Access-Control-Expose-Headers (and `*` only
 * without credentials). The model's readableHeaders is the truth; this rule compares it with what the
 * page needs (`--expose`, an `error` when missing) or, without `--expose`, with the custom headers the
 * server sent (`info`: we cannot know the page reads them).
 */
import { corsLines, describe, finalResponseFor, headerLines, headerValue, listItems } from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

/** Headers every stack adds that no page reads: not worth a finding without `--expose`. */
const NOISE = new Set([
  'x-powered-by',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  // Caches' and CDNs' own diagnostics, and frameworks' timing and debug lines.
  'x-varnish',
  'x-cache',
  'x-cache-hits',
  'x-cache-status',
  'x-served-by',
  'x-timer',
  'x-amz-cf-id',
  'x-amz-cf-pop',
  'x-runtime',
  'x-rack-cors',
]);

function looksCustom(name: string): boolean {
  const l = name.toLowerCase();
  if (NOISE.has(l) || l.startsWith('x-rack-cors-')) return false;
  return (
    l.startsWith('x-') ||
    l === 'link' ||
    l === 'location' ||
    l === 'retry-after' ||
    l === 'content-disposition' ||
    l.startsWith('ratelimit')
  );
}

export const exposedHeaders: Rule = {
  name: 'header-not-exposed',
  detect(ctx): RuleFinding[] {
    const { main, input } = ctx;
    if (!main.allowed || main.responseType !== 'cors') return [];
    // The final answer: a followed redirect's own headers never reach the script.
    const actual = finalResponseFor(main, 'actual');
    if (actual === undefined) return [];
    const headers = actual.response.headers;
    const readable = new Set(main.readableHeaders.map((h) => h.toLowerCase()));
    const aceh = headerValue(headers, 'access-control-expose-headers');
    const exposedItems = listItems(aceh).map((h) => h.toLowerCase());
    const present = (n: string) => headerLines(headers, n).length > 0;
    const evidence = [describe(actual.exchange), ...corsLines(headers)];

    const needed = [...new Set(input.expose.map((h) => h.toLowerCase()))].filter((h) => !readable.has(h));
    if (needed.length > 0) {
      const wildcardWithCredentials = exposedItems.includes('*') && input.request.credentials === 'include';
      if (wildcardWithCredentials) {
        return [
          {
            id: 'wildcard-with-credentials',
            severity: 'error',
            detail: `The page needs ${needed.join(', ')}; Access-Control-Expose-Headers is '*', but with credentials '*' is a literal name, not a wildcard, so nothing beyond the safelisted headers is exposed.`,
            evidence,
            fixSummary: `List the headers by name: Access-Control-Expose-Headers: ${needed.join(', ')}.`,
          },
        ];
      }
      // Exposed but not sent on this answer (an error, a 304…): the exposure is right; the server just
      // has no such header here. Not mistake 9.
      const notSent = needed.filter((h) => !present(h) && exposedItems.includes(h));
      const absent = needed.filter((h) => !present(h) && !exposedItems.includes(h));
      const hidden = needed.filter((h) => present(h));
      if (absent.length === 0 && hidden.length === 0) {
        const status = actual.response.status;
        return [
          {
            id: 'header-not-exposed',
            severity: 'info',
            detail: `${notSent.join(', ')} ${notSent.length === 1 ? 'is' : 'are'} exposed (Access-Control-Expose-Headers lists ${notSent.length === 1 ? 'it' : 'them'}) but not on this ${status} response, so headers.get() returns null here: the server sends ${notSent.length === 1 ? 'it' : 'them'} on other answers only.${status >= 400 ? " Send the page's real request (--data for its body) to see the response it normally gets." : ''}`,
            evidence,
            fixSummary: `Nothing to change in CORS; send ${notSent.join(', ')} on this response too if the page needs ${notSent.length === 1 ? 'it' : 'them'} here.`,
          },
        ];
      }
      const parts: string[] = [];
      if (hidden.length > 0)
        parts.push(
          `${hidden.join(', ')} ${hidden.length === 1 ? 'is' : 'are'} on the response (DevTools shows ${hidden.length === 1 ? 'it' : 'them'}) but not in Access-Control-Expose-Headers, so headers.get() returns null in the script`,
        );
      if (absent.length > 0)
        parts.push(
          `${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} not on the response at all: the server must send ${absent.length === 1 ? 'it' : 'them'} and expose ${absent.length === 1 ? 'it' : 'them'}`,
        );
      return [
        {
          id: 'header-not-exposed',
          severity: 'error',
          detail: `The page needs ${needed.join(', ')}: ${parts.join('; ')}.`,
          evidence: [
            ...evidence,
            ...hidden.flatMap((h) => headerLines(headers, h).map(([n, v]) => `${n}: ${v}`)),
          ],
          fixSummary: `Access-Control-Expose-Headers: ${[...new Set([...exposedItems.filter((i) => i !== '*'), ...needed])].join(', ')}`,
        },
      ];
    }
    if (input.expose.length > 0) return [];
    const hiddenCustom = [
      ...new Set(headers.map(([n]) => n).filter((n) => looksCustom(n) && !readable.has(n.toLowerCase()))),
    ];
    if (hiddenCustom.length === 0) return [];
    return [
      {
        id: 'header-not-exposed',
        severity: 'info',
        detail: `The response carries ${hiddenCustom.join(', ')}, which the script cannot read (not in Access-Control-Expose-Headers). Fine if the page does not need ${hiddenCustom.length === 1 ? 'it' : 'them'}; if it does, expose ${hiddenCustom.length === 1 ? 'it' : 'them'} (check with --expose).`,
        evidence: [
          ...evidence,
          ...hiddenCustom.flatMap((h) => headerLines(headers, h).map(([n, v]) => `${n}: ${v}`)),
        ],
        fixSummary: `Access-Control-Expose-Headers: ${hiddenCustom.join(', ')}`,
      },
    ];
  },
};
