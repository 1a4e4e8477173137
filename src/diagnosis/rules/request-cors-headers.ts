/**
 * Mistake 12: the page sets Access-Control-* headers on its request. They are response headers; on a
 * request they do nothing but make it non-simple (not CORS-safelisted request headers, Fetch §2.2.2),
 * so the browser sends a preflight that would not happen otherwise, and the server rarely lists them
 * in Access-Control-Allow-Headers.
 */
import type { Rule, RuleFinding } from '../types.ts';

export const requestCorsHeaders: Rule = {
  name: 'cors-headers-in-request',
  detect(ctx): RuleFinding[] {
    const names = ctx.input.request.headers
      .map(([n]) => n)
      .filter((n) => n.toLowerCase().startsWith('access-control-'));
    if (names.length === 0) return [];
    const failed = ctx.main.failedParameter.toLowerCase();
    const blocked = !ctx.main.allowed && ctx.main.preflight;
    const onlyReason = ctx.input.request.headers.every(([n]) => {
      const l = n.toLowerCase();
      return l.startsWith('access-control-') || ['accept', 'accept-language', 'content-language'].includes(l);
    });
    const causedBlock = blocked && (failed.startsWith('access-control-') || onlyReason);
    return [
      {
        id: 'cors-headers-in-request',
        severity: causedBlock ? 'error' : 'warning',
        detail: `The page sets ${names.join(', ')} on its request. Those are response headers: only the server's answer counts. On a request they make it non-simple, so the browser sends a preflight${onlyReason && ['GET', 'HEAD', 'POST'].includes(ctx.input.request.method.toUpperCase()) ? ' that would not happen otherwise' : ''}${causedBlock ? ', and that preflight failed because the server does not allow these headers' : ''}.`,
        evidence: ctx.input.request.headers
          .filter(([n]) => n.toLowerCase().startsWith('access-control-'))
          .map(([n, v]) => `request header ${n}: ${v}`),
        fixSummary: `Remove ${names.join(', ')} from the front-end code.`,
      },
    ];
  },
};
