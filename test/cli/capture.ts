/** A CommandContext that keeps what a command writes (stdout in `out`, stderr in `err`), no colour. */
import type { CommandContext } from '../../src/cli/context.ts';

export function capture(): CommandContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    color: false,
    stdin: process.stdin,
    stdout(s: string) {
      ctx.out += s;
    },
    stderr(s: string) {
      ctx.err += s;
    },
  };
  return ctx;
}
