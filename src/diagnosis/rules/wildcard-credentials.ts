/**
 * Mistake 2: `*` with a credentialed request. Fetch §4.9 CORS check step 3 (ACAO `*` is not allowed
 * when credentials mode is include; Chromium WildcardOriginNotAllowed), and §4.8 steps 7.6–7.7: with
 * credentials, `*` in Access-Control-Allow-Methods / -Headers is a literal name, not a wildcard. The
 * Expose-Headers case is reported by the exposed-headers rule, which sees which header the page needs.
 */
import { corsLines, describe, headerValue, lastExchange, listItems, responseOf } from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const wildcardCredentials: Rule = {
  name: 'wildcard-with-credentials',
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    const ex = lastExchange(main);
    const res = responseOf(ex);
    if (ex === undefined || res === undefined) return [];
    const evidence = [describe(ex), ...corsLines(res.headers, ['set-cookie'])];
    const include = ctx.input.request.credentials === 'include';
    const err = main.corsError;
    if (err === 'WildcardOriginNotAllowed' || err === 'PreflightWildcardOriginNotAllowed') {
      return [
        {
          id: 'wildcard-with-credentials',
          severity: 'error',
          detail: `The page sends credentials (credentials: 'include') and the ${ex.request.purpose === 'preflight' ? 'preflight' : 'response'} answers Access-Control-Allow-Origin: *. With credentials the browser needs the exact origin echoed back.`,
          evidence,
          fixSummary: `Echo '${ctx.input.request.origin}' from an allow-list instead of *, with Access-Control-Allow-Credentials: true and Vary: Origin.`,
        },
      ];
    }
    if (
      include &&
      (err === 'MethodDisallowedByPreflightResponse' || err === 'HeaderDisallowedByPreflightResponse')
    ) {
      const name =
        err === 'MethodDisallowedByPreflightResponse'
          ? 'access-control-allow-methods'
          : 'access-control-allow-headers';
      if (!listItems(headerValue(res.headers, name)).includes('*')) return [];
      const what = err === 'MethodDisallowedByPreflightResponse' ? 'method' : 'header';
      return [
        {
          id: 'wildcard-with-credentials',
          severity: 'error',
          detail: `The preflight allows ${what}s with '*', but with credentials '*' is read as a literal name, so the ${what} '${main.failedParameter}' is not allowed.`,
          evidence,
          fixSummary: `List '${main.failedParameter}' by name in ${name === 'access-control-allow-methods' ? 'Access-Control-Allow-Methods' : 'Access-Control-Allow-Headers'}.`,
        },
      ];
    }
    return [];
  },
};
