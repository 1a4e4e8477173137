/**
 * Mistake 12: the page sets Access-Control-* headers on its request. They are response headers; on a
 * request they do nothing useful. Access-Control-Request-Method / -Headers are forbidden request header
 * names (Fetch §2.2.2): the browser drops them silently. Any other Access-Control-* name is not
 * CORS-safelisted, so it makes the request non-simple: the browser sends a preflight that would not
 * happen otherwise, and the server rarely lists such a name in Access-Control-Allow-Headers.
 */
import type { Rule, RuleFinding } from '../types.ts';

const FORBIDDEN = new Set(['access-control-request-method', 'access-control-request-headers']);
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language']);

export const requestCorsHeaders: Rule = {
  name: 'cors-headers-in-request',
  detect(ctx): RuleFinding[] {
    const { request } = ctx.input;
    const cors = request.headers.filter(([n]) => n.toLowerCase().startsWith('access-control-'));
    if (cors.length === 0) return [];
    const names = cors.map(([n]) => n);
    const sent = names.filter((n) => !FORBIDDEN.has(n.toLowerCase()));
    const dropped = names.filter((n) => FORBIDDEN.has(n.toLowerCase()));
    const evidence = cors.map(([n, v]) => `request header ${n}: ${v}`);
    const fixSummary = `Remove ${names.join(', ')} from the front-end code; only the server's response headers count.`;
    if (sent.length === 0) {
      return [
        {
          id: 'cors-headers-in-request',
          severity: 'info',
          detail: `The page sets ${dropped.join(', ')} on its request. The browser sets ${dropped.length === 1 ? 'that header' : 'those headers'} itself on preflights and drops a script's value (forbidden header name), so the line does nothing.`,
          evidence,
          fixSummary,
        },
      ];
    }
    // Would the request have been simple without them?
    const simpleOtherwise =
      ['GET', 'HEAD', 'POST'].includes(request.method.toUpperCase()) &&
      request.headers.every(([n]) => {
        const l = n.toLowerCase();
        return l.startsWith('access-control-') || SAFELISTED.has(l);
      });
    const failed = ctx.main.failedParameter.toLowerCase();
    const blocked = !ctx.main.allowed && ctx.main.preflight && ctx.main.netError === null;
    const causedBlock = blocked && (failed.startsWith('access-control-') || simpleOtherwise);
    return [
      {
        id: 'cors-headers-in-request',
        severity: causedBlock ? 'error' : 'warning',
        detail: `The page sets ${sent.join(', ')} on its request. ${sent.length === 1 ? 'It is a response header' : 'They are response headers'}: only the server's answer counts. On a request ${sent.length === 1 ? 'it makes' : 'they make'} it non-simple, so the browser sends a preflight${simpleOtherwise ? ' that would not happen otherwise' : ''}${causedBlock ? ', and that preflight failed: the server does not allow these headers' : ''}.${dropped.length > 0 ? ` (${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} dropped by the browser.)` : ''}`,
        evidence,
        fixSummary,
      },
    ];
  },
};
