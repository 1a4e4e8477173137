/**
 * Mistake 8: a production-like configuration (the page's origin is not loopback) that also admits the
 * usual development origins. Where the API runs does not matter: a staging copy on loopback runs the
 * production configuration (DESIGN.md, diagnosis notes). `security` when the server allows credentials
 * for that origin, `warning` otherwise. A server that reflects any origin is reported once, as
 * origin-reflected, by the security rule.
 */
import { describeWithOrigin, originAnswer } from '../evidence.ts';
import { attackerVariants, DEV_ORIGINS, isLoopbackOrigin } from '../origins.ts';
import { fromOrigin, probe } from '../probes.ts';
import type { ProbeSpec, Rule, RuleFinding } from '../types.ts';

export const localhostAllowed: Rule = {
  name: 'localhost-allowed',
  probes(input): ProbeSpec[] {
    if (isLoopbackOrigin(input.request.origin) || input.request.origin === 'null') return [];
    return DEV_ORIGINS.map((d) =>
      probe(
        d.name,
        `Does the server accept the development origin ${d.origin}?`,
        fromOrigin(input.request, d.origin),
      ),
    );
  },
  detect(ctx): RuleFinding[] {
    const origin = ctx.input.request.origin;
    if (origin === 'null' || isLoopbackOrigin(origin)) return [];
    const arbitrary = attackerVariants(origin)[0]!;
    const a = ctx.probes.get(arbitrary.name);
    if (a !== undefined && originAnswer(a, arbitrary.origin).kind === 'reflected') return [];
    const accepted: { origin: string; credentials: boolean; line: string }[] = [];
    for (const d of DEV_ORIGINS) {
      const v = ctx.probes.get(d.name);
      if (v === undefined) continue;
      const answer = originAnswer(v, d.origin);
      if (answer.kind === 'reflected')
        accepted.push({
          origin: d.origin,
          credentials: answer.credentials,
          line: `Origin: ${d.origin} → ${describeWithOrigin(answer.exchange)}`,
        });
    }
    if (accepted.length === 0) return [];
    const credentials = accepted.some((x) => x.credentials);
    return [
      {
        id: 'localhost-allowed',
        severity: credentials ? 'security' : 'warning',
        detail: `The server serving '${origin}' also accepts ${accepted.map((x) => `'${x.origin}'`).join(', ')}: development origins left in a production configuration.${credentials ? " It allows credentials for them, so any page served on that port of a user's machine (another dev server, a malicious local tool) can make logged-in requests and read the answers." : " Any page served on that port of a user's machine can read the responses."}`,
        evidence: accepted.map((x) => x.line),
      },
    ];
  },
};
