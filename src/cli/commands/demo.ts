/**
 * `cors-doctor demo [--json] [--serve]`: the README's first command (also `npm start`). Starts the demo
 * API on loopback, checks each endpoint, prints the diagnoses, stops. `--serve` keeps the API running
 * (until Ctrl-C) so the printed check commands can be tried by hand.
 */
import { startDemoApi } from '../../demo/api.ts';
import { caseCommand, DEMO_CASES } from '../../demo/cases.ts';
import { runDemo } from '../../demo/run.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

const HELP = `cors-doctor demo — see every common CORS mistake diagnosed, on a demo API on 127.0.0.1

Usage: cors-doctor demo [--json] [--serve]

  --json    one JSON document: every endpoint's full check report
  --serve   keep the demo API running (Ctrl-C stops it) and print a check command for each endpoint

Exit code 0 when every endpoint was diagnosed as expected.
`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  for (const a of argv)
    if (!['--json', '--serve', '--help', '-h'].includes(a))
      throw new UsageError(`unknown flag '${a}' for demo; see cors-doctor demo --help`);
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout(HELP);
    return exitCodes.ok;
  }
  if (argv.includes('--serve')) {
    const api = await startDemoApi();
    ctx.stdout(`Demo API on ${api.url} (Ctrl-C to stop). Try:\n\n`);
    for (const c of DEMO_CASES) ctx.stdout(`  ${caseCommand(c, api.url)}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await api.close();
    return exitCodes.ok;
  }
  const { text, results } = await runDemo({ color: ctx.color, json: argv.includes('--json') });
  ctx.stdout(text);
  return results.every((r) => r.asExpected) ? exitCodes.ok : exitCodes.blocked;
}
