/**
 * Hot reconfiguration (as jub0bs/cors `Reconfigure`): `mw.reconfigure(options)` validates and swaps
 * the policy for the next request; invalid options throw CorsConfigError and the old policy stays.
 * Real servers on 127.0.0.1, one per adapter.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { cors as fastifyCors } from '../../src/middleware/adapters/fastify.ts';
import { cors as fetchCors } from '../../src/middleware/adapters/fetch.ts';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { CorsConfigError } from '../../src/middleware/core/index.ts';
import { send, values } from './apps.ts';

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function serve(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Handle {
  reconfigure(o: unknown): void;
  policy: { origins: readonly string[] };
}

async function setups(): Promise<[string, Handle, string][]> {
  const node = nodeCors({ origins: [A] });
  const koa = koaCors({ origins: [A] });
  const fetch = fetchCors({ origins: [A] });
  const fastify = fastifyCors({ origins: [A] });
  const app = new Koa();
  app.use(koa).use((ctx) => {
    ctx.body = 'ok';
  });
  const hono = new Hono();
  hono.use(fetch).get('/ok', (c) => c.text('ok'));
  const f = Fastify({ logger: false, forceCloseConnections: true });
  await f.register(fastify);
  f.get('/ok', async () => 'ok');
  await f.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => f.close());
  return [
    ['node', node as unknown as Handle, await serve(createServer(node.wrap((_q, res) => res.end('ok'))))],
    ['koa', koa as unknown as Handle, await serve(createServer(app.callback()))],
    ['hono', fetch as unknown as Handle, await serve(createAdaptorServer({ fetch: hono.fetch }) as Server)],
    ['fastify', fastify as unknown as Handle, `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`],
  ];
}

test('reconfigure swaps the policy for the next request; invalid options keep the old one', async () => {
  for (const [name, mw, url] of await setups()) {
    const acao = async (origin: string) =>
      values(await send(url, 'GET', '/ok', { origin }), 'access-control-allow-origin');
    assert.deepEqual(await acao(A), [A], name);
    assert.deepEqual(await acao(B), [], name);
    mw.reconfigure({ origins: [B] });
    assert.deepEqual(mw.policy.origins, [B], name);
    assert.deepEqual(await acao(B), [B], name);
    assert.deepEqual(await acao(A), [], name);
    assert.throws(
      () => mw.reconfigure({ origins: ['https://c.example.com/'], credentials: true }),
      CorsConfigError,
      name,
    );
    assert.deepEqual(await acao(B), [B], `${name}: the old policy stays after a refused reconfigure`);
  }
});
