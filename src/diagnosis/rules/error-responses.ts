/**
 * Mistake 4: CORS headers only on success. When the page's request works, two probes provoke an error
 * from the same server — the request without its credentials / Authorization (expect 401/403), and a
 * missing sibling path on the same host (expect 404) — and an error answered without the CORS headers
 * the success carried is a finding: the browser would show a CORS error instead of that status.
 * (The page's own request failing this way is decided by the allow-origin rule.)
 */
import { describeWithOrigin, lastExchange, originAnswer, responseOf } from '../evidence.ts';
import { anonymous, missingSibling, probe, simpleVariant } from '../probes.ts';
import type { ProbeSpec, Rule, RuleFinding } from '../types.ts';

export const errorResponses: Rule = {
  name: 'headers-missing-on-errors',
  probes(input): ProbeSpec[] {
    // A probe never repeats a data-changing request, so for a PUT or DELETE the error paths are probed
    // with a plain GET: authentication and not-found handlers answer it the same way.
    const req = ['GET', 'HEAD'].includes(input.request.method.toUpperCase())
      ? input.request
      : simpleVariant(input.request);
    const out: ProbeSpec[] = [];
    const hasAuth = req.headers.some(([n]) => n.toLowerCase() === 'authorization');
    if (hasAuth || req.credentials === 'include') {
      out.push(
        probe(
          'error-no-credentials',
          'Does an unauthenticated request (no cookies, no Authorization) still get CORS headers on its 401/403?',
          anonymous(req),
        ),
      );
    }
    const sibling = missingSibling(req.url);
    if (sibling !== undefined && sibling !== req.url) {
      out.push(
        probe('error-missing-path', 'Does a 404 from the same server carry the CORS headers?', {
          ...req,
          mode: 'cors',
          url: sibling,
        }),
      );
    }
    return out;
  },
  detect(ctx): RuleFinding[] {
    const origin = ctx.input.request.origin;
    const mainAnswer = originAnswer(ctx.main, origin);
    if (!ctx.main.allowed || (mainAnswer.kind !== 'reflected' && mainAnswer.kind !== 'wildcard')) return [];
    const evidence: string[] = [];
    const statuses: number[] = [];
    const label: Record<string, string> = {
      'error-no-credentials': 'without credentials',
      'error-missing-path': 'a missing path',
    };
    for (const name of ['error-no-credentials', 'error-missing-path']) {
      const v = ctx.probes.get(name);
      if (v === undefined) continue;
      const ex = lastExchange(v);
      const res = responseOf(ex);
      if (ex === undefined || res === undefined || res.status < 400) continue;
      if (originAnswer(v, origin).kind !== 'none') continue;
      statuses.push(res.status);
      evidence.push(`${label[name]}: ${describeWithOrigin(ex)}`);
    }
    if (statuses.length === 0) return [];
    const mainEx = mainAnswer.exchange;
    return [
      {
        id: 'headers-missing-on-errors',
        severity: 'warning',
        detail: `The request works, but the server's error responses (${statuses.join(', ')}) carry no CORS headers. When the page gets one (an expired session, a missing record, a crash), the browser reports a CORS error and the script sees TypeError: Failed to fetch instead of the ${statuses[0]} and its body.`,
        evidence: [describeWithOrigin(mainEx), ...evidence],
      },
    ];
  },
};
