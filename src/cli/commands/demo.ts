import { type CommandContext, UsageError } from '../context.ts';

export async function run(_argv: string[], _ctx: CommandContext): Promise<number> {
  throw new UsageError('demo is not built yet');
}
