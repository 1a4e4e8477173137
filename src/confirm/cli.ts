/**
 * `check --confirm [chromium|firefox|webkit|all]`: the flag (taken out of argv before check's own parser,
 * because its value is optional and would otherwise read as the URL) and the text report.
 */
import type { PageRequest } from '../browser/types.ts';
// The one helper, not explain/index.ts: that would load the whole console-line recogniser into every check.
import { shellQuote } from '../explain/check-command.ts';
import { CONFIRM_ENGINES, type Confirmation, type EngineName } from './index.ts';

export class ConfirmFlagError extends Error {}

/** `--confirm` alone is Chromium; `--confirm all`, `--confirm firefox,webkit`, `--confirm=webkit`. */
export function takeConfirmFlag(argv: readonly string[]): { argv: string[]; engines: EngineName[] | null } {
  const rest: string[] = [];
  let engines: EngineName[] | null = null;
  const parse = (value: string): EngineName[] => {
    const names = value === 'all' ? [...CONFIRM_ENGINES] : value.split(',').map((s) => s.trim());
    for (const n of names)
      if (!(CONFIRM_ENGINES as readonly string[]).includes(n))
        throw new ConfirmFlagError(
          `--confirm takes chromium, firefox, webkit, a comma list of them, or all (got '${n}')`,
        );
    return [...new Set(names as EngineName[])];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--confirm=')) engines = parse(arg.slice('--confirm='.length));
    else if (arg === '--confirm') {
      const next = argv[i + 1];
      if (next !== undefined && /^(all|chromium|firefox|webkit)(,(chromium|firefox|webkit))*$/.test(next)) {
        engines = parse(next);
        i++;
      } else engines = ['chromium'];
    } else rest.push(arg);
  }
  return { argv: rest, engines };
}

/** The command that reproduces `request` with one engine (what a bug report about the model needs). */
export function reproduceCommand(request: PageRequest, engine: EngineName): string {
  const parts = ['cors-doctor', 'check', shellQuote(request.url), '--origin', shellQuote(request.origin)];
  if (request.method !== 'GET') parts.push('--method', request.method);
  for (const [n, v] of request.headers) parts.push('-H', shellQuote(`${n}: ${v}`));
  if (request.credentials !== 'same-origin') parts.push('--credentials', request.credentials);
  if (request.mode !== 'cors') parts.push('--mode', request.mode);
  if (request.initiator === 'xhr') parts.push('--initiator', 'xhr');
  parts.push('--no-probes', '--confirm', engine);
  return parts.join(' ');
}

export function renderConfirmText(
  confirmations: readonly Confirmation[],
  request: PageRequest,
  color: boolean,
): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines = ['', 'Confirmed in a real browser'];
  for (const c of confirmations) {
    if (!c.ran) {
      lines.push(`  ${c.engine.padEnd(9)}${paint('33', 'not run')}: ${c.unavailable ?? 'unavailable'}`);
      continue;
    }
    const verdict = c.engineSide?.allowed ? 'allowed' : 'blocked';
    const head = `  ${c.engine.padEnd(9)}${c.version ?? ''}  ${verdict}  (${c.callMs} ms for the request, ${c.ms} ms with start-up)`;
    if (c.agree) {
      lines.push(`${head}  ${paint('32', '✔ agrees with the model')}`);
      for (const l of c.engineSide?.consoleLines ?? []) lines.push(`           console: ${l}`);
      continue;
    }
    lines.push(`${head}  ${paint('1;31', '✖ DISAGREES WITH THE MODEL')}`);
    for (const d of c.differences) lines.push(`    ${paint('31', '≠')} ${d}`);
    lines.push('    model:');
    for (const l of c.modelSide?.consoleLines ?? []) lines.push(`      ${l}`);
    if ((c.modelSide?.consoleLines.length ?? 0) === 0) lines.push('      (no console line)');
    lines.push(`    ${c.engine}:`);
    for (const l of c.engineSide?.consoleLines ?? []) lines.push(`      ${l}`);
    if ((c.engineSide?.consoleLines.length ?? 0) === 0) lines.push('      (no console line)');
    lines.push(
      `    This is a bug of cors-doctor's browser model; please report it with: ${reproduceCommand(request, c.engine)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
