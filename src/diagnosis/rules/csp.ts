/**
 * Mistake 10: the page's own Content-Security-Policy (from `check --page`) forbids connecting to the
 * API. The browser never sends the request, so no CORS header can help.
 */
import { chromeCspLine, cspBlocks } from '../csp.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const cspBlocksRequest: Rule = {
  name: 'csp-blocks-request',
  detect(ctx): RuleFinding[] {
    const page = ctx.input.page;
    if (page === undefined) return [];
    const url = ctx.input.request.url;
    const block = cspBlocks({ header: page.headerPolicies, meta: page.metaPolicies }, page.url, url);
    if (block === undefined) return [];
    let apiOrigin = url;
    try {
      apiOrigin = new URL(url).origin;
    } catch {}
    return [
      {
        id: 'csp-blocks-request',
        severity: 'error',
        detail: `The page ${page.url} has a Content-Security-Policy (${block.source === 'header' ? 'response header' : '<meta> tag'}) whose ${block.fallback ? 'default-src (there is no connect-src)' : 'connect-src'} does not allow ${apiOrigin}. The browser refuses the fetch before sending it — this is the page's CSP, not the API's CORS. Chrome prints: ${chromeCspLine(url, block)}`,
        evidence: [
          `${block.source === 'header' ? 'Content-Security-Policy' : '<meta http-equiv="Content-Security-Policy">'}: ${block.policy}`,
          chromeCspLine(url, block),
        ],
        fixSummary: `On the front-end server, add ${apiOrigin} to ${block.fallback ? 'a connect-src directive' : 'connect-src'} of the page's Content-Security-Policy.`,
      },
    ];
  },
};
