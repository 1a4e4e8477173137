/**
 * `mode: 'no-cors'`: no CORS check, so no CORS error — and an opaque response (status 0, no headers, no
 * body) the script cannot read (Fetch §3.1.4 "opaque filtered response"). Often added to silence a
 * CORS error; it only hides it.
 */
import type { Rule, RuleFinding } from '../types.ts';

export const opaqueResponse: Rule = {
  name: 'opaque-response',
  detect(ctx): RuleFinding[] {
    if (ctx.input.request.mode !== 'no-cors') return [];
    return [
      {
        id: 'opaque-response',
        severity: 'warning',
        detail:
          "The page uses mode: 'no-cors'. The browser sends the request but hands the script an opaque response: status 0, no headers, an empty body (response.json() fails). It silences the CORS error without letting the page read anything; fine for fire-and-forget pings only.",
        evidence: [`mode: no-cors → response type ${ctx.main.responseType}`],
      },
    ];
  },
};
