import type { IncomingMessage, ServerResponse } from 'node:http';

export const APP: string;
export function buildApp(
  framework: string,
  variant: 'none' | 'hand' | 'ours' | 'peer',
  base?: URL,
): Promise<{
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  fastify?: { listen(o: { port: number; host: string }): Promise<string>; server: { address(): unknown } };
}>;
