/**
 * More Fastify 5 + @fastify/cors setups from real reports (issue 10's corpus): the plugin inside a
 * prefixed plugin, auth hooks before it, its v11 default methods, errors thrown by handlers.
 */
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { APP, authenticated, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type FastifyMoreVariant =
  /** `register(async (s) => { await s.register(cors, …); s.get(…) }, { prefix: '/api' })`. */
  | 'prefixed-plugin'
  /** An `onRequest` auth hook added before @fastify/cors: the preflight has no credentials. */
  | 'auth-hook-before-cors'
  /** `register(cors, { origin: '*' })` on @fastify/cors v11: methods default to GET,HEAD,POST. */
  | 'default-methods'
  /** Allow-list, credentials, every method, exposed header; a handler that throws and one that 401s. */
  | 'correct-errors'
  /** `origin: /myshop\.test/` (unanchored both ends) with credentials. */
  | 'regex-unanchored'
  /** `origin: '*'` with `credentials: true`. */
  | 'wildcard-credentials';

const handler = async (_req: FastifyRequest, reply: FastifyReply) => {
  reply.header('X-Request-Id', REQUEST_ID).type('application/json');
  return BODY;
};

function routes(s: FastifyInstance, prefix: string) {
  s.get(`${prefix}/data`, handler);
  s.put(`${prefix}/data`, handler);
  s.delete(`${prefix}/data`, handler);
  s.get(`${prefix}/private`, async (req, reply) => {
    if (!authenticated(req.headers)) return reply.code(401).send({ error: 'login required' });
    return handler(req, reply);
  });
  s.get(`${prefix}/boom`, async () => {
    throw new Error('database down');
  });
}

export async function startFastifyMore(variant: FastifyMoreVariant): Promise<RunningApp> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const good: FastifyCorsOptions = {
    origin: [APP],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Request-Id'],
  };
  switch (variant) {
    case 'prefixed-plugin':
      await app.register(
        async (s) => {
          await s.register(fastifyCors, good);
          routes(s, '');
          // The prefix's index route: GET/PUT /api (fastify/fastify-cors#281).
          s.get('/', handler);
          s.put('/', handler);
        },
        { prefix: '/api' },
      );
      break;
    case 'auth-hook-before-cors':
      app.addHook('onRequest', async (req, reply) => {
        if (!authenticated(req.headers)) await reply.code(401).send({ error: 'login required' });
      });
      await app.register(fastifyCors, good);
      routes(app, '/api');
      break;
    case 'default-methods':
      await app.register(fastifyCors, { origin: '*' });
      routes(app, '/api');
      break;
    case 'correct-errors':
      await app.register(fastifyCors, good);
      routes(app, '/api');
      break;
    case 'regex-unanchored':
      await app.register(fastifyCors, { ...good, origin: /myshop\.test/ });
      routes(app, '/api');
      break;
    case 'wildcard-credentials':
      await app.register(fastifyCors, { ...good, origin: '*' });
      routes(app, '/api');
      break;
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('Fastify did not report a TCP address');
  return { base: `http://127.0.0.1:${addr.port}`, close: () => app.close() };
}
