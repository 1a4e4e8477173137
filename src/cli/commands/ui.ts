/**
 * `cors-doctor ui`: the same tool in a local web page (explain box, check form, report). Serves on
 * 127.0.0.1 only, under a per-run token, and opens the page unless --no-open.
 */
import { spawn } from 'node:child_process';
import { startUiServer } from '../../ui/server.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

export const HELP = `cors-doctor ui — explain console lines and run checks in a local web page

Usage:
  cors-doctor ui [--port N] [--no-open]

  --port <N>    listen on 127.0.0.1:N (default: a free port)
  --no-open     print the address instead of opening it in the default browser

The page is served on 127.0.0.1 only, at an address holding a per-run token (share it with nobody).
It explains pasted console lines in the page itself and sends only the checks you start there, with
check's safe-probe rules. Ctrl-C stops it.
`;

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout(HELP);
    return exitCodes.ok;
  }
  let port: number | undefined;
  let open = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-open') open = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535)
        throw new UsageError(`--port needs a port number 0-65535 (got '${v ?? ''}'), e.g. --port 4321`);
      port = Number(v);
    } else throw new UsageError(`unknown argument '${a}' for ui; see cors-doctor ui --help`);
  }
  let server: Awaited<ReturnType<typeof startUiServer>>;
  try {
    server = await startUiServer(port !== undefined ? { port } : {});
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use on 127.0.0.1: choose another with --port, or omit it`);
    throw err;
  }
  ctx.stdout(`cors-doctor ui: ${server.url}\n(Ctrl-C stops it)\n`);
  if (open) {
    const opener =
      process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [server.url], { stdio: 'ignore', detached: true });
    child.on('error', () => ctx.stderr(`could not start ${opener}: open ${server.url} yourself\n`));
    child.unref();
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return exitCodes.ok;
}
