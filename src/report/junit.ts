/**
 * JUnit XML as GitHub (dorny/test-reporter, mikepenz/action-junit-report), GitLab (artifacts:reports:junit)
 * and Jenkins (junit step) read it: <testsuites> with a <testsuite> per endpoint and a <testcase> per
 * expectation; a failed one holds <failure message="…" type="rule id">details</failure>. Pure.
 */
import type { ContractResult } from '../contract/evaluate.ts';

/** XML 1.0 text: escaped, and without the characters XML 1.0 cannot hold at all. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function renderJunit(
  result: ContractResult,
  meta: { contract: string; ms: number; timestamp: string },
): string {
  const suites = result.endpoints.map((ep) => {
    const failures = ep.cases.filter((c) => !c.passed).length;
    // An expose case shares its origin's check: count each check's time once.
    const time = ep.cases.reduce((n, c) => n + (c.kind === 'expose' ? 0 : c.ms), 0);
    const cases = ep.cases.map((c) => {
      const open = `    <testcase name="${xmlEscape(c.title)}" classname="${xmlEscape(`cors.${ep.name}`)}" time="${seconds(c.ms)}" file="${xmlEscape(meta.contract)}" line="${ep.line}"`;
      if (c.passed) return `${open}/>`;
      const body = [
        c.summary,
        ...(c.consoleLine ? [`Chrome console: ${c.consoleLine}`] : []),
        ...(c.findings ?? []).map((f) => `${f.severity} ${f.id}: ${f.title}. ${f.detail} fix: ${f.fix}`),
        ...(c.kind !== 'findings' && c.fix ? [`fix: ${c.fix}`] : []),
        `${meta.contract}:${ep.line}`,
      ].join('\n');
      return `${open}>\n      <failure message="${xmlEscape(`${c.title}: ${c.summary}`)}" type="${xmlEscape(c.ruleId ?? 'expectation-failed')}">${xmlEscape(body)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xmlEscape(ep.name)}" tests="${ep.cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(time)}" timestamp="${meta.timestamp}" file="${xmlEscape(meta.contract)}">\n    <properties>\n      <property name="url" value="${xmlEscape(ep.url)}"/>\n      <property name="method" value="${xmlEscape(ep.method)}"/>\n    </properties>\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = result.passed + result.failed;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cors-doctor test ${xmlEscape(meta.contract)}" tests="${total}" failures="${result.failed}" errors="0" time="${seconds(meta.ms)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
