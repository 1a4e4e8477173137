/**
 * Per-prefix policies (fastify-cors #33, #332, #384), mounted the way docs/middleware.md says for each
 * framework: `/api` for one origin with credentials, `/public` for any origin. Fastify's prefixed-plugin
 * case is in hardening.test.ts (defect 4).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import Koa from 'koa';
import { cors as fetchCors } from '../../src/middleware/adapters/fetch.ts';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { raw, rawRequest } from './wire.ts';

const A = 'https://app.example.com';
const B = 'https://other.example.net';
const API = { origins: [A], credentials: true, methods: ['PUT'] } as const;
const PUBLIC = { origins: '*' } as const;

function express2(): Server {
  const app = express();
  app.use('/api', nodeCors(API));
  app.use('/public', nodeCors(PUBLIC));
  app.get('/api/items', (_req, res) => res.send('api'));
  app.get('/public/items', (_req, res) => res.send('public'));
  return createServer(app);
}

function koa2(): Server {
  const app = new Koa();
  const api = koaCors(API);
  const pub = koaCors(PUBLIC);
  app.use((ctx, next) => (ctx.path.startsWith('/api/') ? api(ctx, next) : next()));
  app.use((ctx, next) => (ctx.path.startsWith('/public/') ? pub(ctx, next) : next()));
  app.use((ctx) => {
    if (ctx.path.endsWith('/items')) ctx.body = 'ok';
  });
  return createServer(app.callback());
}

function hono2(): Server {
  const app = new Hono();
  app.use('/api/*', fetchCors(API));
  app.use('/public/*', fetchCors(PUBLIC));
  app.get('/api/items', (c) => c.text('api'));
  app.get('/public/items', (c) => c.text('public'));
  return createAdaptorServer({ fetch: app.fetch }) as Server;
}

for (const [name, make] of [
  ['express', express2],
  ['koa', koa2],
  ['hono', hono2],
] as const) {
  describe(`per-prefix policies: ${name}`, () => {
    test('each prefix answers with its own policy', async () => {
      const server = make();
      server.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const api = await raw(url, rawRequest('GET', '/api/items', [`Origin: ${A}`]));
        assert.ok(api.lines.includes(`access-control-allow-origin: ${A}`), api.head);
        assert.ok(api.lines.includes('access-control-allow-credentials: true'), api.head);
        const apiB = await raw(url, rawRequest('GET', '/api/items', [`Origin: ${B}`]));
        assert.ok(!apiB.head.toLowerCase().includes('access-control-'), apiB.head);
        const pre = await raw(
          url,
          rawRequest('OPTIONS', '/api/items', [`Origin: ${A}`, 'Access-Control-Request-Method: PUT']),
        );
        assert.equal(pre.status, 204, pre.head);
        const pub = await raw(url, rawRequest('GET', '/public/items', [`Origin: ${B}`]));
        assert.ok(pub.lines.includes('access-control-allow-origin: *'), pub.head);
        assert.ok(!pub.head.toLowerCase().includes('access-control-allow-credentials'), pub.head);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });
  });
}
