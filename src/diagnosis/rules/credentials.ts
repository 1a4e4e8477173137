/**
 * Mistake 2's other half: a credentialed request needs Access-Control-Allow-Credentials to be exactly
 * `true` (Fetch §4.9 CORS check step 5, case-sensitive; Chromium InvalidAllowCredentials and its
 * preflight form). A duplicated `true, true` is reported by the duplicate-headers rule instead.
 */
import { corsLines, describe, headerLines, headerValue, lastExchange, responseOf } from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const credentialsAllowed: Rule = {
  name: 'credentials-not-allowed',
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    if (main.corsError !== 'InvalidAllowCredentials' && main.corsError !== 'PreflightInvalidAllowCredentials')
      return [];
    const ex = lastExchange(main);
    const res = responseOf(ex);
    if (ex === undefined || res === undefined) return [];
    const lines = headerLines(res.headers, 'access-control-allow-credentials');
    const value = headerValue(res.headers, 'access-control-allow-credentials');
    if (lines.length > 1 || (value ?? '').includes(',')) return [];
    const where = ex.request.purpose === 'preflight' ? 'preflight' : 'response';
    return [
      {
        id: 'credentials-not-allowed',
        severity: 'error',
        detail:
          value === undefined
            ? `The page sends credentials (credentials: 'include'), and the ${where} has no Access-Control-Allow-Credentials header.`
            : `The page sends credentials, and the ${where}'s Access-Control-Allow-Credentials is '${value}', not exactly 'true' (the comparison is case-sensitive).`,
        evidence: [describe(ex), ...corsLines(res.headers)],
        fixSummary:
          "Send Access-Control-Allow-Credentials: true on the preflight and the actual response — or, if the API needs no cookies, drop credentials: 'include' from the page.",
      },
    ];
  },
};
