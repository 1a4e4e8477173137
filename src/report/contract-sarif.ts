/**
 * `test --sarif`: each failed expectation and each finding left unaccepted as a SARIF result located at
 * the contract file's line for that endpoint (code scanning rejects URL locations). ruleId is the catalog
 * finding that explains it (helpUri: the mistake's page), or `expectation-failed` when none does.
 */
import { isFindingId } from '../catalog/ids.ts';
import type { ContractResult } from '../contract/evaluate.ts';
import { levelFor, ruleForFinding, type SarifResult, type SarifRule, sarifLog } from './sarif.ts';

export const EXPECTATION_RULE: SarifRule = {
  id: 'expectation-failed',
  shortDescription: 'A CORS contract expectation does not hold',
  fullDescription:
    'An origin the contract allows is blocked, an origin it denies can read the response, or a header it exposes is unreadable, and no catalog finding explains why.',
  help: 'Run cors-doctor check with the request and origin named in the result to see the exchanges.',
  helpUri: 'https://github.com/cors-doctor/cors-doctor/blob/main/docs/ci.md',
  level: 'error',
  tags: ['cors'],
};

/** `uri` is the contract's path relative to the repository root, forward slashes. */
export function renderContractSarif(result: ContractResult, meta: { uri: string; version: string }): string {
  const rules = new Map<string, SarifRule>();
  const results: SarifResult[] = [];
  const ruleFor = (id: string): SarifRule => {
    let rule = rules.get(id);
    if (!rule) {
      rule = isFindingId(id) ? ruleForFinding(id) : EXPECTATION_RULE;
      rules.set(id, rule);
    }
    return rule;
  };
  for (const ep of result.endpoints) {
    const location = { uri: meta.uri, startLine: ep.line, startColumn: ep.column };
    for (const c of ep.cases) {
      if (c.passed) continue;
      if (c.kind === 'findings') {
        for (const f of c.findings ?? []) {
          ruleFor(f.id);
          results.push({
            ruleId: f.id,
            level: levelFor(f.severity),
            message: `${ep.name} (${ep.method} ${ep.url}): ${f.title}. ${f.detail} Fix: ${f.fix}`,
            locations: [location],
            partialFingerprints: { 'corsDoctor/v1': `${ep.name}|${f.id}` },
            properties: { endpoint: ep.name, origins: f.origins, severity: f.severity },
          });
        }
        continue;
      }
      const rule = ruleFor(c.ruleId ?? 'expectation-failed');
      results.push({
        ruleId: rule.id,
        level: 'error',
        message: `${ep.name} (${ep.method} ${ep.url}) ${c.title}: ${c.summary}.${c.consoleLine ? ` Chrome: ${c.consoleLine}` : ''}${c.fix ? ` Fix: ${c.fix}` : ''}`,
        locations: [location],
        partialFingerprints: { 'corsDoctor/v1': `${ep.name}|${c.kind}|${c.origin ?? ''}|${c.header ?? ''}` },
        properties: { endpoint: ep.name, expectation: c.kind, ...(c.origin ? { origin: c.origin } : {}) },
      });
    }
  }
  const log = sarifLog(
    { version: meta.version, informationUri: 'https://github.com/cors-doctor/cors-doctor' },
    [...rules.values()],
    results,
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}
