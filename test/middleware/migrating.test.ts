/**
 * docs/migrating.md's examples run: every ```ts run=<framework> block is written to a temp module (its
 * `cors-doctor/<x>` import pointed at the source), imported, started on 127.0.0.1 and asked a preflight
 * and an actual request from the allowed origin and from a foreign one. The guide's claim that old
 * option names throw with a pointer to the new one is checked too.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { CorsConfigError } from '../../src/middleware/core/index.ts';
import { raw, rawRequest } from './wire.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

const guide = await readFile(join(root, 'docs/migrating.md'), 'utf8');
const blocks = [...guide.matchAll(/```ts run=(\w+)\n([\s\S]*?)```/g)].map((m) => ({
  kind: m[1]!,
  code: m[2]!,
}));

// Inside node_modules so that the examples' own imports (express, fastify…) resolve; .mts because the
// package scope stops at node_modules, and top-level await needs ESM.
const dir = await mkdtemp(join(root, 'node_modules/.cache-migrating-'));
after(() => rm(dir, { recursive: true, force: true }));

function pointAtSource(code: string): string {
  return code.replace(/from 'cors-doctor\/(node|fastify|koa|fetch)'/g, (_m, name: string) => {
    const file = pathToFileURL(join(root, `src/middleware/adapters/${name}.ts`)).href;
    return `from '${file}'`;
  });
}

async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function start(kind: string, app: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  switch (kind) {
    case 'express':
      return listen(createServer(app as Parameters<typeof createServer>[1] & object));
    case 'koa':
      return listen(createServer((app as { callback(): Parameters<typeof createServer>[1] }).callback()));
    case 'hono':
      return listen(
        createAdaptorServer({ fetch: (app as { fetch: (r: Request) => Response }).fetch }) as Server,
      );
    case 'fastify': {
      const f = app as { listen(o: object): Promise<string>; server: Server; close(): Promise<void> };
      await f.listen({ port: 0, host: '127.0.0.1' });
      return { url: `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`, close: () => f.close() };
    }
    default:
      throw new Error(`docs/migrating.md: unknown run=${kind}; use express, fastify, koa or hono`);
  }
}

describe('docs/migrating.md examples', () => {
  test('the guide has one runnable example per peer', () => {
    assert.deepEqual(blocks.map((b) => b.kind).sort(), ['express', 'fastify', 'hono', 'koa']);
  });
  for (const [i, block] of blocks.entries()) {
    test(`${block.kind} example: preflight and actual request, allowed and foreign`, async () => {
      const file = join(dir, `example-${i}-${block.kind}.mts`);
      await writeFile(file, pointAtSource(block.code));
      const mod = (await import(pathToFileURL(file).href)) as { default: unknown };
      const server = await start(block.kind, mod.default);
      // Fastify and Hono examples mount under /api, the others at the root.
      const path = /prefix: '\/api'|'\/api\/\*'/.test(block.code) ? '/api/items' : '/items';
      try {
        const pre = await raw(
          server.url,
          rawRequest('OPTIONS', path, [`Origin: ${APP}`, 'Access-Control-Request-Method: PUT']),
        );
        assert.equal(pre.status, 204, pre.head);
        assert.ok(pre.lines.includes(`access-control-allow-origin: ${APP}`), pre.head);
        assert.ok(pre.lines.includes('access-control-allow-methods: put'), pre.head);
        const refused = await raw(
          server.url,
          rawRequest('OPTIONS', path, [`Origin: ${EVIL}`, 'Access-Control-Request-Method: PUT']),
        );
        assert.equal(refused.status, 403, refused.head);
        const actual = await raw(server.url, rawRequest('GET', path, [`Origin: ${APP}`]));
        assert.equal(actual.status, 200, actual.head);
        assert.ok(actual.lines.includes(`access-control-allow-origin: ${APP}`), actual.head);
        assert.ok(actual.lines.includes('access-control-allow-credentials: true'), actual.head);
        assert.ok(
          actual.lines.some((l) => l.startsWith('vary:') && l.includes('origin')),
          actual.head,
        );
        const foreign = await raw(server.url, rawRequest('GET', path, [`Origin: ${EVIL}`]));
        assert.equal(foreign.status, 200, foreign.head);
        assert.ok(!foreign.head.toLowerCase().includes('access-control-'), foreign.head);
      } finally {
        await server.close();
      }
    });
  }

  test('old option names throw with a pointer to the new name, as the guide says', () => {
    const old = {
      origin: APP,
      allowMethods: ['PUT'],
      allowHeaders: ['x'],
      exposeHeaders: ['y'],
      preflightContinue: true,
      optionsSuccessStatus: 200,
      strictPreflight: true,
    };
    try {
      nodeCors(old as never);
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof CorsConfigError);
      const msg = err.message;
      for (const pointer of [
        "Unknown option 'origin': use 'origins'",
        "Unknown option 'allowMethods': use 'methods'",
        "Unknown option 'allowHeaders': use 'allowedHeaders'",
        "Unknown option 'exposeHeaders': use 'exposedHeaders'",
        "Unknown option 'preflightContinue': remove it",
        "Unknown option 'optionsSuccessStatus': remove it",
        "Unknown option 'strictPreflight': remove it",
      ])
        assert.ok(msg.includes(pointer), `${pointer} not in:\n${msg}`);
    }
  });
});
