/** Fastify 5 with @fastify/cors, configured right and with the catalog's mistakes. */
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import Fastify from 'fastify';
import { APP, authenticated, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type FastifyVariant =
  | 'correct'
  | 'www-typo'
  | 'http-typo'
  | 'no-cors'
  | 'reflect'
  | 'auth-hook-first'
  | 'prehandler-hook';

export async function startFastify(variant: FastifyVariant): Promise<RunningApp> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const good: FastifyCorsOptions = {
    origin: [APP],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Request-Id'],
  };
  if (variant === 'auth-hook-first') {
    app.addHook('onRequest', async (req, reply) => {
      if (!authenticated(req.headers)) await reply.code(401).send({ error: 'login required' });
    });
  }
  switch (variant) {
    case 'correct':
    case 'auth-hook-first':
      await app.register(fastifyCors, good);
      break;
    case 'www-typo':
      await app.register(fastifyCors, { ...good, origin: ['https://www.app.myshop.test'] });
      break;
    case 'http-typo':
      await app.register(fastifyCors, { ...good, origin: ['http://app.myshop.test'] });
      break;
    case 'no-cors':
      break;
    case 'prehandler-hook':
      // Fastify runs the preHandler hooks for its 404 handler too, so errors keep the headers.
      await app.register(fastifyCors, { ...good, hook: 'preHandler' });
      break;
    case 'reflect':
      await app.register(fastifyCors, { origin: true, exposedHeaders: ['X-Request-Id'] });
      break;
  }
  const handler = async (
    _req: unknown,
    reply: { header(n: string, v: string): unknown; type(t: string): unknown },
  ) => {
    reply.header('X-Request-Id', REQUEST_ID);
    reply.type('application/json');
    return BODY;
  };
  app.get('/api/data', handler);
  app.put('/api/data', handler);
  app.post('/api/data', handler);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { base: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}
