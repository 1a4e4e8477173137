/**
 * Mistake 6: Access-Control-Allow-Origin depends on the request's Origin, but the response lacks
 * `Vary: Origin`, so a cache (CDN, proxy, the browser's own) can serve one origin's answer to another
 * (RFC 9110 §12.5.5; Fetch §3.2.5 "CORS protocol and HTTP caches"). Evidence: a second origin gets a
 * different Access-Control-Allow-Origin than the page's origin.
 */
import {
  cacheability,
  describeWithOrigin,
  finalResponseFor,
  headerLines,
  listItems,
  originAnswer,
} from '../evidence.ts';
import { attackerVariants } from '../origins.ts';
import { fromOrigin, probe } from '../probes.ts';
import type { ProbeSpec, Rule, RuleFinding } from '../types.ts';

export const varyOrigin: Rule = {
  name: 'missing-vary-origin',
  probes(input): ProbeSpec[] {
    const arbitrary = attackerVariants(input.request.origin)[0]!;
    return [
      probe(
        arbitrary.name,
        'Does the server answer any origin (reflection), and does its answer depend on the Origin?',
        fromOrigin(input.request, arbitrary.origin),
      ),
    ];
  },
  detect(ctx): RuleFinding[] {
    const origin = ctx.input.request.origin;
    const actual = finalResponseFor(ctx.main, 'actual');
    if (actual === undefined) return [];
    const acao = headerLines(actual.response.headers, 'access-control-allow-origin').map(([, v]) => v.trim());
    if (acao.length !== 1 || acao[0] !== origin) return [];
    const vary = headerLines(actual.response.headers, 'vary').flatMap(([, v]) =>
      listItems(v).map((i) => i.toLowerCase()),
    );
    if (vary.includes('origin') || vary.includes('*')) return [];
    const second = attackerVariants(origin)[0]!;
    const v = ctx.probes.get(second.name);
    if (v === undefined) return [];
    const answer = originAnswer(v, second.origin);
    if (answer.kind === 'other' && answer.value === origin) return [];
    const { cacheable, lines } = cacheability(actual.response.headers);
    const other =
      answer.kind === 'none'
        ? `no Access-Control-Allow-Origin for '${second.origin}'`
        : answer.kind === 'reflected'
          ? `'${second.origin}' echoed back`
          : `'${answer.kind === 'wildcard' ? '*' : answer.value}' for '${second.origin}'`;
    return [
      {
        id: 'missing-vary-origin',
        severity: 'warning',
        detail: `The response's Access-Control-Allow-Origin depends on the Origin (this origin gets '${origin}', another gets ${other}), but it has no Vary: Origin.${cacheable ? " The response is cacheable, so a CDN, proxy or the browser cache can hand one origin's answer to another: CORS then fails intermittently for some users." : " It is not marked cacheable now, but any cache added later (or the browser's) can mix origins up."}`,
        evidence: [
          describeWithOrigin(actual.exchange),
          ...(answer.exchange ? [`Origin: ${second.origin} → ${describeWithOrigin(answer.exchange)}`] : []),
          ...headerLines(actual.response.headers, 'vary').map(([n, val]) => `${n}: ${val}`),
          ...lines,
        ],
      },
    ];
  },
};
