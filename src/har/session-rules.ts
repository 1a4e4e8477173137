/**
 * What only a whole session shows: the same server answering this origin with CORS headers on some
 * responses and without them on its errors. That is mistake 4 (headers only on success; DESIGN.md:
 * "a request answered 401/403 without CORS headers, where a request that passes authentication gets
 * them"), which one request alone reads as a missing Allow-Origin.
 */
import type { Exchange } from '../browser/types.ts';
import { describeWithOrigin, lastExchange, originAnswer, responseOf } from '../diagnosis/evidence.ts';
import type { Rule, RuleFinding } from '../diagnosis/types.ts';
import type { HarRequestReport } from './analyze.ts';

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Per page origin and server, the requests it answered with CORS headers for that origin (first first). */
export type Witnesses = (
  origin: string,
  host: string,
  self: HarRequestReport,
) => HarRequestReport | undefined;

export function corsWitnesses(all: readonly HarRequestReport[]): Witnesses {
  const by = new Map<string, HarRequestReport[]>();
  for (const r of all) {
    if (r.verdict === null) continue;
    const a = originAnswer(r.verdict, r.origin);
    if (a.kind !== 'reflected' && a.kind !== 'wildcard') continue;
    const k = `${r.origin} ${hostOf(r.url)}`;
    const list = by.get(k) ?? [];
    // Two are enough: the request itself may be one of them.
    if (list.length < 2) by.set(k, [...list, r]);
  }
  return (origin, host, self) => by.get(`${origin} ${host}`)?.find((r) => r !== self);
}

export function sessionRule(self: HarRequestReport, witnesses: Witnesses): Rule {
  return {
    name: 'session:headers-missing-on-errors',
    detect(ctx): RuleFinding[] {
      const v = ctx.main;
      if (
        v.allowed ||
        (v.corsError !== 'MissingAllowOriginHeader' && v.corsError !== 'PreflightMissingAllowOriginHeader')
      )
        return [];
      const failing: Exchange | undefined = lastExchange(v);
      const res = responseOf(failing);
      if (failing === undefined || res === undefined || res.status < 400) return [];
      const host = hostOf(self.url);
      const origin = self.origin;
      const witness = witnesses(origin, host, self);
      if (witness?.verdict == null) return [];
      const w = originAnswer(witness.verdict, origin);
      const wEx = w.exchange ?? lastExchange(witness.verdict);
      const pre = failing.request.purpose === 'preflight';
      return [
        {
          id: 'headers-missing-on-errors',
          severity: 'error',
          detail: `${host} answers ${origin} with CORS headers elsewhere in this session (entry ${witness.entry}), but its ${res.status} to this ${pre ? 'preflight' : 'request'} has none: the error path (${res.status === 401 || res.status === 403 ? 'authentication' : 'the error handler'}) answers before the CORS layer runs, so the browser reports a CORS error and the script never sees the ${res.status}.${pre ? ' A preflight carries no credentials: authentication must let OPTIONS through (mistake 3 too).' : ''}`,
          evidence: [
            describeWithOrigin(failing),
            ...(wEx ? [`entry ${witness.entry}: ${describeWithOrigin(wEx)}`] : []),
          ],
        },
      ];
    },
  };
}
