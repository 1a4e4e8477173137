/**
 * Fastify 5 + @fastify/cors setups for round 2 of issue 10's corpus (real reports, written after the
 * diagnosis changed): reflection with credentials, a copied trailing slash, a short Allow-Headers list,
 * and the plugin's default header reflection (correct).
 */
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { ADMIN, APP, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type FastifyR2Variant =
  /** `origin: true, credentials: true`: every Origin echoed with credentials. */
  | 'reflect-credentials'
  /** The allow-list holds `https://app…/` copied from the address bar. */
  | 'trailing-slash'
  /** `allowedHeaders: ['Content-Type']`, the page sends Authorization. */
  | 'allowed-headers-short'
  /** Allow-list, credentials, methods, exposed header; allowedHeaders unset (the plugin echoes the request's). */
  | 'correct-reflect-headers';

const handler = async (_req: FastifyRequest, reply: FastifyReply) => {
  reply.header('X-Request-Id', REQUEST_ID).type('application/json');
  return BODY;
};

export async function startFastifyR2(variant: FastifyR2Variant): Promise<RunningApp> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const good: FastifyCorsOptions = {
    origin: [APP, ADMIN],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Request-Id'],
  };
  const options: Record<FastifyR2Variant, FastifyCorsOptions> = {
    'reflect-credentials': { ...good, origin: true },
    'trailing-slash': { ...good, origin: [`${APP}/`, ADMIN] },
    'allowed-headers-short': { ...good, allowedHeaders: ['Content-Type'] },
    'correct-reflect-headers': good,
  };
  await app.register(fastifyCors, options[variant]);
  app.get('/api/data', handler);
  app.put('/api/data', handler);
  app.delete('/api/data', handler);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('Fastify did not report a TCP address');
  return { base: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}
