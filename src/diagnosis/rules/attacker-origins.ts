/**
 * Security: can an attacker's page read the API? The page's request is replayed from attacker-chosen
 * origins (scanner-anchors.md §4: arbitrary, null, prefix, suffix, unescaped dot, http:// downgrade,
 * arbitrary subdomain); an Access-Control-Allow-Origin echoing that exact origin means its script could
 * read the answer. An arbitrary origin accepted means the server reflects anything (one finding,
 * origin-reflected); otherwise each accepted look-alike is a flaw in an allow-list. `*` is not reported:
 * it is the documented public-API answer and never carries credentials.
 * Severity follows Access-Control-Allow-Credentials: true on the accepting response (`security`: the
 * user's cookies ride along); without credentials only public data is exposed.
 */
import type { Severity } from '../../catalog/ids.ts';
import { describeWithOrigin, originAnswer } from '../evidence.ts';
import { attackerVariants, isLoopbackOrigin, type OriginVariant } from '../origins.ts';
import { fromOrigin, probe } from '../probes.ts';
import type { DiagnosisContext, ProbeSpec, Rule, RuleFinding } from '../types.ts';

interface Hit {
  variant: OriginVariant;
  credentials: boolean;
  line: string;
}

function hits(ctx: DiagnosisContext): Map<string, Hit> {
  const out = new Map<string, Hit>();
  for (const variant of attackerVariants(ctx.input.request.origin)) {
    if (variant.origin === ctx.input.request.origin) continue;
    const v = ctx.probes.get(variant.name);
    if (v === undefined) continue;
    const answer = originAnswer(v, variant.origin);
    if (answer.kind === 'reflected')
      out.set(variant.name, {
        variant,
        credentials: answer.credentials,
        line: `Origin: ${variant.origin} → ${describeWithOrigin(answer.exchange)}${answer.credentials ? ', Access-Control-Allow-Credentials: true' : ''}`,
      });
  }
  return out;
}

export const attackerOrigins: Rule = {
  name: 'attacker-origins',
  probes(input): ProbeSpec[] {
    return attackerVariants(input.request.origin)
      .filter((v) => v.origin !== input.request.origin)
      .map((v) =>
        probe(
          v.name,
          `Would the server let ${v.label} (${v.origin}) read the response?`,
          fromOrigin(input.request, v.origin),
        ),
      );
  },
  detect(ctx): RuleFinding[] {
    const findings = detectAll(ctx);
    // Checked from a development origin (localhost): a dev server that trusts everyone is common and
    // harmless as long as the configuration never ships, so it is a warning here, not `security`.
    if (!isLoopbackOrigin(ctx.input.request.origin)) return findings;
    return findings.map((f) =>
      f.severity === 'security'
        ? {
            ...f,
            severity: 'warning',
            detail: `${f.detail} (Checked from a development origin: acceptable on a dev server, a security finding if this configuration reaches production.)`,
          }
        : f,
    );
  },
};

function detectAll(ctx: DiagnosisContext): RuleFinding[] {
  const found = hits(ctx);
  if (found.size === 0) return [];
  const sev = (credentials: boolean, without: Severity): Severity => (credentials ? 'security' : without);
  const credText = (c: boolean) =>
    c
      ? " with Access-Control-Allow-Credentials: true, so a page on that origin can make requests carrying the user's cookies and read the answers"
      : ' (without credentials: it can read what an anonymous request returns)';
  const arbitrary = found.get('origin-arbitrary');
  if (arbitrary !== undefined) {
    const others = [...found.values()].filter((h) => h !== arbitrary).map((h) => h.variant.origin);
    return [
      {
        id: 'origin-reflected',
        severity: sev(arbitrary.credentials, 'info'),
        detail: `The server echoes any Origin back: '${arbitrary.variant.origin}' is accepted${credText(arbitrary.credentials)}.${others.length > 0 ? ` (So are ${others.join(', ')}: not an allow-list at all.)` : ''}${arbitrary.credentials ? '' : ' Without credentials this is equivalent to Access-Control-Allow-Origin: *.'}`,
        evidence: [...found.values()].map((h) => h.line),
      },
    ];
  }
  const out: RuleFinding[] = [];
  const nul = found.get('origin-null');
  if (nul !== undefined)
    out.push({
      id: 'null-origin-allowed',
      severity: sev(nul.credentials, 'warning'),
      detail: `The server accepts the origin 'null'${credText(nul.credentials)}. Any site can produce that origin with a sandboxed iframe.`,
      evidence: [nul.line],
    });
  const pattern = ['origin-prefix', 'origin-suffix', 'origin-unescaped-dot'].flatMap(
    (n) => found.get(n) ?? [],
  );
  if (pattern.length > 0) {
    const c = pattern.some((h) => h.credentials);
    out.push({
      id: 'origin-pattern-bypass',
      severity: sev(c, 'warning'),
      detail: `The allow-list is a pattern an attacker can satisfy with a domain they register: ${pattern.map((h) => `'${h.variant.origin}' (${h.variant.label})`).join(', ')} ${pattern.length === 1 ? 'is' : 'are'} accepted${credText(c)}.`,
      evidence: pattern.map((h) => h.line),
    });
  }
  const http = found.get('origin-http');
  if (http !== undefined && ctx.main.allowed)
    out.push({
      id: 'insecure-origin-allowed',
      severity: sev(http.credentials, 'warning'),
      detail: `The server also accepts '${http.variant.origin}', the plain-http form of the page's origin${credText(http.credentials)}. A network attacker can inject script into the http:// page and use it.`,
      evidence: [http.line],
    });
  const sub = found.get('origin-subdomain');
  if (sub !== undefined)
    out.push({
      id: 'subdomain-trusted',
      // One severity with the catalog: `security` once the user's cookies ride along.
      severity: sev(sub.credentials, 'info'),
      detail: `The server accepts an arbitrary subdomain ('${sub.variant.origin}')${credText(sub.credentials)}. Any subdomain with an XSS or a dangling DNS record (takeover) can then read the API.`,
      evidence: [sub.line],
    });
  return out;
}
