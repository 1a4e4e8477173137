/**
 * `test`'s text report, like a test runner: one line per endpoint × origin (and per exposed header), the
 * failures with the console line the browser would print and the fix, and a closing `N passed, N failed`.
 */
import type { ContractResult } from '../contract/evaluate.ts';
import type { ContractProblem } from '../contract/types.ts';

export interface ContractTextOptions {
  color: boolean;
  /** Wall time of the whole run, ms. */
  ms: number;
  requests: number;
}

export function renderContractText(result: ContractResult, opts: ContractTextOptions): string {
  const paint = (code: string, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const ok = paint('32', '✔');
  const no = paint('31', '✖');
  const out: string[] = [];
  for (const ep of result.endpoints) {
    out.push(
      ep.name === `${ep.method} ${ep.url}`
        ? paint('1', ep.name)
        : `${paint('1', ep.name)}  ${ep.method} ${ep.url}`,
    );
    for (const c of ep.cases) {
      out.push(`  ${c.passed ? ok : no} ${c.title}  ${paint('2', c.summary)}`);
      if (c.passed) continue;
      if (c.consoleLine) out.push(`      Chrome console: ${c.consoleLine}`);
      for (const f of c.findings ?? []) {
        out.push(`      ${f.severity.padEnd(8)} ${f.id}  ${f.title}  (from ${f.origins.join(', ')})`);
        out.push(`               fix: ${f.fix}`);
      }
      if (c.kind !== 'findings' && c.fix)
        out.push(
          `      ${c.ruleId && c.ruleId !== 'expectation-failed' ? `${c.ruleId}: ` : ''}fix: ${c.fix}`,
        );
    }
  }
  for (const i of result.ignored)
    out.push(
      paint(
        '2',
        i.matched > 0
          ? `accepted: ${i.finding}${i.endpoint ? ` on ${i.endpoint}` : ''} (${i.reason})`
          : // A stale entry hides the next real occurrence: say so, without failing the run.
            `ignore at line ${i.line}: ${i.finding}${i.endpoint ? ` on ${i.endpoint}` : ''} matched nothing in this run; remove it if the cause is gone`,
      ),
    );
  out.push('');
  out.push(
    paint(
      '2',
      `${result.endpoints.length} endpoint${result.endpoints.length === 1 ? '' : 's'}, ${opts.requests} requests in ${(opts.ms / 1000).toFixed(1)} s`,
    ),
  );
  // Alone on its line, as test runners print it (CI log readers look for exactly this).
  out.push(`${result.passed} passed, ${result.failed} failed`);
  return `${out.join('\n')}\n`;
}

/** An invalid contract: every problem, `file:line:column`, like a compiler. */
export function renderContractProblems(file: string, problems: readonly ContractProblem[]): string {
  const lines = problems.map(
    (p) => `${file}:${p.line}:${p.column}: ${p.message}${p.path ? ` (${p.path})` : ''}\n    fix: ${p.fix}`,
  );
  return `${lines.join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}: the contract was not run\n`;
}
