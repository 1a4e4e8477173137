#!/usr/bin/env node
/**
 * cors-doctor's entry point. Keeps start-up cheap: only this file and the chosen command's module load,
 * so `explain` does not pay for the prober or the demo servers.
 */
import { readFileSync } from 'node:fs';
import nodeModule from 'node:module';
import { type CommandContext, exitCodes, UsageError } from './context.ts';

// Node ≥ 22.1 keeps V8's compiled code of the command modules on disk between runs (a no-op where the
// API is missing, as on Node 20, or when NODE_DISABLE_COMPILE_CACHE is set). Before any command loads.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

type CommandModule = { run(argv: string[], ctx: CommandContext): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  check: {
    summary: 'run a request as the browser would against a live server and find the cause',
    load: () => import('./commands/check.ts'),
  },
  explain: { summary: 'explain a pasted browser console line', load: () => import('./commands/explain.ts') },
  ui: { summary: 'the same tool in a local web page', load: () => import('./commands/ui.ts') },
  har: {
    summary: 'diagnose every cross-origin request of a browser session from its HAR, offline',
    load: () => import('./commands/har.ts'),
  },
  test: {
    summary: 'check a CORS contract (allowed/refused origins, exposed headers) for CI: JUnit, SARIF',
    load: () => import('./commands/test.ts'),
  },
  scan: {
    summary: 'find CORS mistakes in front-end code, server code and config (SARIF for code scanning)',
    load: () => import('./commands/scan.ts'),
  },
  demo: {
    summary: 'start a demo API with one endpoint per mistake and check each',
    load: () => import('./commands/demo.ts'),
  },
};

function version(): string {
  // From dist/src/cli/ (tsc) or src/cli/ the package root is three folders up; from the bundle in dist/cli/, two.
  for (const up of ['../../../package.json', '../../package.json']) {
    let pkg: { name?: string; version?: string };
    try {
      pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as typeof pkg;
    } catch {
      continue; // no package.json there (or not JSON): try the next level
    }
    if (pkg.name === 'cors-doctor' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`);
  return `cors-doctor — find out why the browser blocked a cross-origin request, and how to fix it

Usage: cors-doctor <command> [options]

Commands:
${lines.join('\n')}

Options (before or after the command): --help (per command too), --version, --json,
  --no-color (or NO_COLOR=1), --color (or FORCE_COLOR=1) forces colour, --quiet (no progress on stderr),
  --verbose (each exchange on stderr as it happens)

Examples:
  cors-doctor check https://api.example.com/data --origin https://app.example.com --method PUT -H "Authorization: Bearer x"
  cors-doctor explain "Access to fetch at 'https://api.example.com/' from origin 'https://app.example.com' has been blocked by CORS policy: ..."
  cors-doctor demo
`;
}

/** Flags every command takes, before or after the command name (`cors-doctor --no-color check …`). */
const GLOBAL_FLAGS = new Set(['--no-color', '--color', '--quiet', '-q', '--verbose']);

/** FORCE_COLOR as Node and chalk read it: set and not '0'/'false' forces colour; '0' turns it off. */
export function colorWanted(argv: readonly string[], env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (argv.includes('--no-color')) return false;
  if (argv.includes('--color')) return true;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY;
}

export async function main(all: string[]): Promise<number> {
  const globals = all.filter((a) => GLOBAL_FLAGS.has(a));
  // Global flags are taken out wherever they stand, up to a `--` (explain's literal text follows it).
  const dashdash = all.indexOf('--');
  const argv = all.filter((a, i) => !GLOBAL_FLAGS.has(a) || (dashdash >= 0 && i > dashdash));
  const quiet = globals.includes('--quiet') || globals.includes('-q');
  const ctx: CommandContext = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    color: colorWanted(globals, process.env, process.stdout.isTTY === true),
    // A getter: touching process.stdin builds its stream (a TTY or pipe handle), ~5-30 ms that only
    // `explain` without text and the `-` pastes need.
    get stdin() {
      return process.stdin;
    },
    progress: !quiet && process.stderr.isTTY === true,
    verbose: globals.includes('--verbose'),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout(help());
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout(`${version()}\n`);
    return exitCodes.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    ctx.stderr(`error: unknown command '${name}'; run 'cors-doctor --help' to see check, explain and demo\n`);
    return exitCodes.usage;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr(`error: ${err.message}\n`);
      return exitCodes.usage;
    }
    ctx.stderr(
      `error: cors-doctor failed unexpectedly: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    if (process.env['CORS_DOCTOR_DEBUG']) ctx.stderr(`${err instanceof Error ? err.stack : ''}\n`);
    return exitCodes.usage;
  }
}

// A closed stdout (`| head`) ends the process quietly with the command's own status, as `git log | head`
// does; Node's default is an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
