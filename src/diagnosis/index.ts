/**
 * The diagnosis layer: `probesFor(input)` (registry.ts) lists the extra requests the rules want (deduplicated by
 * name), and `diagnose(ctx)` turns the page's verdict and the probes' verdicts into findings — one per
 * root cause, most blocking first, each completed from the catalog (title, mistake, fix). Pure.
 */
import type { FindingId, Severity } from '../catalog/ids.ts';
import { catalogView } from './catalog.ts';
import { rules } from './registry.ts';
import type { DiagnosisContext, Finding, Rule, RuleFinding } from './types.ts';

export { chromeCspLine, cspBlocks } from './csp.ts';
export { probesFor, rules } from './registry.ts';
export type * from './types.ts';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, security: 1, warning: 2, info: 3 };

/**
 * When the first finding is present (at that severity), the listed ones describe the same root cause
 * from further down the chain and are dropped.
 */
const SUPERSEDES: { when: FindingId; severity: Severity; drop: FindingId[] }[] = [
  // Access-Control-* request headers were the only reason for the preflight that failed.
  {
    when: 'cors-headers-in-request',
    severity: 'error',
    drop: ['preflight-failed-status', 'header-not-allowed'],
  },
];

/**
 * A rule that throws on odd evidence loses its findings, never the whole check; `onRuleError` lets
 * tests (and a debug mode) see it.
 */
export function diagnose(
  ctx: DiagnosisContext,
  ruleSet: readonly Rule[] = rules,
  onRuleError: (rule: string, error: unknown) => void = () => {},
): Finding[] {
  const found: { f: RuleFinding & { probes: string[] }; order: number }[] = [];
  ruleSet.forEach((rule, order) => {
    let out: RuleFinding[];
    // Which probes the rule read: its findings rest on them (the report shows only those probes).
    const read = new Set<string>();
    const readAll = (): void => {
      for (const name of ctx.probes.keys()) read.add(name);
    };
    const probes: DiagnosisContext['probes'] = {
      get(name) {
        read.add(name);
        return ctx.probes.get(name);
      },
      has(name) {
        read.add(name);
        return ctx.probes.has(name);
      },
      get size() {
        return ctx.probes.size;
      },
      forEach(fn) {
        readAll();
        ctx.probes.forEach(fn);
      },
      keys: () => ctx.probes.keys(),
      entries() {
        readAll();
        return ctx.probes.entries();
      },
      values() {
        readAll();
        return ctx.probes.values();
      },
      [Symbol.iterator]() {
        readAll();
        return ctx.probes[Symbol.iterator]();
      },
    };
    try {
      out = rule.detect({ ...ctx, probes });
    } catch (error) {
      onRuleError(rule.name, error);
      return;
    }
    const used = [...read].filter((name) => ctx.probes.has(name)).sort();
    for (const f of out)
      found.push({ f: { ...f, probes: f.probes?.filter((n) => ctx.probes.has(n)).sort() ?? used }, order });
  });
  // One root cause, one finding: the same id twice keeps the more severe, with both evidences.
  const byId = new Map<FindingId, { f: RuleFinding & { probes: string[] }; order: number }>();
  for (const item of found) {
    const prev = byId.get(item.f.id);
    if (prev === undefined) {
      byId.set(item.f.id, item);
    } else {
      const [keep, other] =
        SEVERITY_RANK[item.f.severity] < SEVERITY_RANK[prev.f.severity] ? [item, prev] : [prev, item];
      byId.set(item.f.id, {
        order: keep.order,
        f: {
          ...keep.f,
          evidence: [...new Set([...keep.f.evidence, ...other.f.evidence])],
          probes: [...new Set([...keep.f.probes, ...other.f.probes])].sort(),
        },
      });
    }
  }
  for (const s of SUPERSEDES) {
    const w = byId.get(s.when);
    if (w !== undefined && w.f.severity === s.severity) for (const d of s.drop) byId.delete(d);
  }
  return [...byId.values()]
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.order - b.order)
    .map(({ f }) => {
      const c = catalogView(f.id);
      return {
        id: f.id,
        mistake: c.mistake,
        severity: f.severity,
        title: c.title,
        detail: f.detail,
        evidence: f.evidence,
        fix: { summary: f.fixSummary ?? c.fix.summary, snippets: c.fix.snippets },
        probes: f.probes,
      };
    });
}
