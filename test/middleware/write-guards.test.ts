/**
 * The node adapter holds an actual request's later header writes to the decision (applyActual in
 * src/middleware/adapters/node.ts): appendHeader and removeHeader as well as setHeader, an Express
 * sub-app (which swaps the response's prototype), a writeHead wrapper installed before the middleware
 * (what on-headers does for morgan and compression), an instance that overrides setHeader itself, and
 * headers set before the middleware ran. Responses it never saw are left alone. Real servers on
 * 127.0.0.1; the conformance table covers the common routes.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import express from 'express';
import Koa from 'koa';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { loopbackServers, send, values, varyTokens, type WireResult } from './apps.ts';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const OPTIONS = { origins: [APP], methods: ['PUT'] };
const serve = loopbackServers();

/** Allowed: our one Allow-Origin and Vary: Origin. Refused: no CORS header at all, still Vary: Origin. */
function assertPolicy(r: WireResult, allowed: boolean): void {
  const cors = r.headers.filter(([n]) => n.startsWith('access-control-'));
  assert.deepEqual(cors, allowed ? [['access-control-allow-origin', APP]] : [], JSON.stringify(r.headers));
  assert.ok(varyTokens(r).includes('origin'), `Vary: ${values(r, 'vary')}`);
}

describe('Express', () => {
  const afterSend: string[] = [];
  const app = express();
  app.get('/before', (_req, res) => res.set('Access-Control-Allow-Origin', '*').send('not ours'));
  app.use(nodeCors(OPTIONS));
  app.get('/append', (_req, res) => {
    res.appendHeader('Access-Control-Allow-Origin', '*');
    res.appendHeader('Access-Control-Allow-Credentials', 'true');
    res.appendHeader('Vary', 'Accept');
    res.send('ok');
  });
  app.get('/remove', (_req, res) => {
    res.removeHeader('Access-Control-Allow-Origin');
    res.removeHeader('Vary');
    res.send('ok');
  });
  app.get('/read', (_req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.send(String(res.getHeader('Access-Control-Allow-Origin')));
  });
  app.get('/after-send', (_req, res) => {
    res.end('ok');
    for (const write of [
      () => res.setHeader('Access-Control-Allow-Origin', '*'),
      () => res.removeHeader('Access-Control-Allow-Origin'),
    ])
      try {
        write();
        afterSend.push('no error');
      } catch (err) {
        afterSend.push((err as { code: string }).code);
      }
  });
  const sub = express();
  sub.get('/x', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*').set('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Accept-Encoding');
    res.send('sub-app');
  });
  app.use('/sub', sub);
  let url: Promise<string> | undefined;
  const base = () => (url ??= serve(createServer(app)));

  for (const [path, extraVary] of [
    ['/append', 'accept'],
    ['/remove', null],
    ['/sub/x', 'accept-encoding'],
  ] as const)
    test(`${path}: one Allow-Origin, the policy's; nothing for a refused origin`, async () => {
      const ok = await send(await base(), 'GET', path, { origin: APP });
      assert.equal(ok.status, 200);
      assertPolicy(ok, true);
      if (extraVary !== null) assert.ok(varyTokens(ok).includes(extraVary), `Vary: ${values(ok, 'vary')}`);
      assertPolicy(await send(await base(), 'GET', path, { origin: EVIL }), false);
    });

  test("the handler reads the policy's value back at once", async () => {
    assert.equal((await send(await base(), 'GET', '/read', { origin: APP })).body, APP);
  });

  test('after the head is sent, header writes fail as node:http makes them fail', async () => {
    await send(await base(), 'GET', '/after-send', { origin: APP });
    assert.deepEqual(afterSend, ['ERR_HTTP_HEADERS_SENT', 'ERR_HTTP_HEADERS_SENT']);
  });

  test('a route before the middleware keeps its own headers', async () => {
    const r = await send(await base(), 'GET', '/before', { origin: EVIL });
    assert.deepEqual(values(r, 'access-control-allow-origin'), ['*']);
    assert.deepEqual(varyTokens(r), []);
  });
});

describe('node:http', () => {
  test('a writeHead wrapper installed first (on-headers) cannot pass its own CORS headers', async () => {
    const mw = nodeCors(OPTIONS);
    const url = await serve(
      createServer((req, res) => {
        const writeHead = res.writeHead as (...a: unknown[]) => ServerResponse;
        res.writeHead = function (this: ServerResponse, ...a: unknown[]) {
          this.setHeader('x-wrapped', '1');
          return writeHead.apply(this, a);
        } as ServerResponse['writeHead'];
        if (mw(req, res)) return;
        res.writeHead(200, {
          'Access-Control-Allow-Origin': '*',
          Vary: 'Accept',
          'Content-Type': 'text/plain',
        });
        res.end('ok');
      }),
    );
    const ok = await send(url, 'GET', '/', { origin: APP });
    assertPolicy(ok, true);
    assert.deepEqual(values(ok, 'x-wrapped'), ['1']);
    assert.deepEqual(varyTokens(ok), ['accept', 'origin']);
    assertPolicy(await send(url, 'GET', '/', { origin: EVIL }), false);
  });

  test('a response overriding setHeader itself keeps it, and is re-checked when its head is written', async () => {
    const mw = nodeCors(OPTIONS);
    const url = await serve(
      createServer((req, res) => {
        const setHeader = res.setHeader;
        res.setHeader = function (
          this: ServerResponse,
          name: string,
          value: number | string | readonly string[],
        ) {
          return setHeader.call(this, name, name === 'x-app' ? 'through the override' : value);
        };
        if (mw(req, res)) return;
        res.setHeader('x-app', 'direct');
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Vary', 'Accept');
        res.end('ok');
      }),
    );
    const ok = await send(url, 'GET', '/', { origin: APP });
    assertPolicy(ok, true);
    assert.deepEqual(values(ok, 'x-app'), ['through the override']);
    assertPolicy(await send(url, 'GET', '/', { origin: EVIL }), false);
  });

  test('CORS headers set before the middleware are dropped where the policy does not send them', async () => {
    const mw = nodeCors(OPTIONS);
    const url = await serve(
      createServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Vary', 'Accept-Encoding');
        if (!mw(req, res)) res.end('ok');
      }),
    );
    for (const origin of [APP, EVIL]) {
      const r = await send(url, 'GET', '/', { origin });
      assertPolicy(r, origin === APP);
      assert.deepEqual(varyTokens(r), ['accept-encoding', 'origin']);
    }
    const pre = await send(url, 'OPTIONS', '/', { origin: APP, 'access-control-request-method': 'PUT' });
    assert.equal(pre.status, 204);
    assert.deepEqual(values(pre, 'access-control-allow-origin'), [APP]);
    assert.deepEqual(values(pre, 'access-control-allow-credentials'), []);
    assert.deepEqual(varyTokens(pre), [
      'accept-encoding',
      'origin',
      'access-control-request-method',
      'access-control-request-headers',
    ]);
  });

  test('a refused preflight is a 403 with Content-Length: 0, with or without headers set before', async () => {
    const mw = nodeCors(OPTIONS);
    const url = await serve(
      createServer((req, res) => {
        if (req.url === '/dirty') res.setHeader('Vary', 'Accept-Encoding');
        if (!mw(req, res)) res.end('ok');
      }),
    );
    for (const path of ['/', '/dirty']) {
      const r = await send(url, 'OPTIONS', path, { origin: EVIL, 'access-control-request-method': 'PUT' });
      assert.equal(r.status, 403, path);
      assert.deepEqual(values(r, 'content-length'), ['0'], path);
      assert.deepEqual(values(r, 'transfer-encoding'), [], path);
      assert.deepEqual(
        r.headers.filter(([n]) => n.startsWith('access-control-')),
        [],
        path,
      );
      assert.equal(r.body, '', path);
    }
  });
});

describe('Koa', () => {
  test('ctx.append and ctx.remove are held to the decision', async () => {
    const app = new Koa();
    app.use(koaCors(OPTIONS));
    app.use((ctx) => {
      ctx.append('Access-Control-Allow-Origin', '*');
      ctx.append('Access-Control-Expose-Headers', 'x-secret');
      ctx.remove('Vary');
      ctx.body = 'ok';
    });
    const url = await serve(createServer(app.callback()));
    assertPolicy(await send(url, 'GET', '/', { origin: APP }), true);
    assertPolicy(await send(url, 'GET', '/', { origin: EVIL }), false);
  });
});
