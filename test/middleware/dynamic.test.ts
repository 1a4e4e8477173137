/**
 * dynamicOrigins (koajs/cors #8, hono PR #4373): a sync or async function returning the origins allowed
 * for a request's Origin, validated like static entries, cached with a TTL and a bound, with a timeout.
 * Core behaviour through decide(); the async path on every adapter over raw sockets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CorsOptions, compile, decide, prepareDynamicOrigin } from '../../src/middleware/core/index.ts';
import { ADAPTERS, type RunningApp, startApp } from './apps.ts';
import { raw, rawRequest } from './wire.ts';

const T = 'https://tenant1.example.com';
const OTHER = 'https://tenant2.example.com';

const allowed = (p: ReturnType<typeof compile>, origin: string) => {
  const d = decide(p, { method: 'GET', origin });
  return d.kind === 'actual' && d.allowed;
};

describe('dynamicOrigins in the core', () => {
  test('a sync resolver: its origins are allowed, others are not, and answers are cached', () => {
    const calls: string[] = [];
    const p = compile({
      dynamicOrigins: {
        resolve: (origin) => {
          calls.push(origin);
          return origin === T ? [T] : [];
        },
      },
    });
    assert.equal(allowed(p, T), true);
    assert.equal(allowed(p, OTHER), false);
    assert.equal(allowed(p, T), true);
    assert.equal(allowed(p, OTHER), false);
    assert.deepEqual(calls, [T, OTHER]);
  });

  test('what it returns is validated like a static entry', () => {
    const p = compile({
      credentials: true,
      dynamicOrigins: {
        resolve: (origin) => [`${origin}/`, '*', 'null', origin.replace('https:', 'http:'), 'https://*.com'],
      },
    });
    assert.equal(allowed(p, T), false);
    const http = 'http://tenant3.example.com';
    assert.equal(allowed(p, http), false, 'http with credentials is ignored');
  });

  test('patterns it returns work', () => {
    const p = compile({ dynamicOrigins: { resolve: () => ['https://*.example.com'] } });
    assert.equal(allowed(p, T), true);
    assert.equal(allowed(p, 'https://example.org'), false);
  });

  test('non-canonical origins never reach the function', () => {
    const calls: string[] = [];
    const p = compile({
      dynamicOrigins: {
        resolve: (o) => {
          calls.push(o);
          return [o];
        },
      },
    });
    for (const o of [
      'https://A.example.com',
      'https://a.example.com:',
      'https://a.example.com:443',
      'null',
      'x'.repeat(400),
    ])
      assert.equal(allowed(p, o), false, o);
    assert.deepEqual(calls, []);
  });

  test('the cache is bounded', () => {
    let calls = 0;
    const p = compile({
      dynamicOrigins: {
        resolve: () => {
          calls++;
          return [];
        },
        cacheSize: 2,
      },
    });
    for (const n of [1, 2, 3, 1]) allowed(p, `https://t${n}.example.com`);
    assert.equal(calls, 4, 't1 was evicted by t3 and asked again');
  });

  test('an async resolver: prepare, then decide', async () => {
    const p = compile({
      dynamicOrigins: { resolve: async (o) => (o === T ? [T] : null) },
    });
    const wait = prepareDynamicOrigin(p, T);
    assert.ok(wait !== null);
    assert.equal(allowed(p, T), false, 'still pending: refused');
    await wait;
    assert.equal(allowed(p, T), true);
    assert.equal(prepareDynamicOrigin(p, T), null, 'cached');
  });

  test('a lookup that hangs is refused after timeoutMs and not cached', async () => {
    let calls = 0;
    const p = compile({
      dynamicOrigins: {
        resolve: () => {
          calls++;
          return new Promise<string[]>(() => {});
        },
        timeoutMs: 30,
      },
    });
    const t0 = Date.now();
    await prepareDynamicOrigin(p, T);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(allowed(p, T), false);
    assert.ok(calls >= 1);
    const again = prepareDynamicOrigin(p, T);
    assert.ok(again !== null, 'asked again after a timeout');
    await again;
  });

  test('a lookup that rejects refuses, without an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const on = (r: unknown) => seen.push(r);
    process.on('unhandledRejection', on);
    try {
      const p = compile({
        dynamicOrigins: {
          resolve: async () => {
            throw new Error('db down');
          },
        },
      });
      await prepareDynamicOrigin(p, T);
      assert.equal(allowed(p, T), false);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen, []);
    } finally {
      process.off('unhandledRejection', on);
    }
  });

  test('bad dynamicOrigins options are refused with a message naming the shape', () => {
    assert.throws(
      () => compile({ dynamicOrigins: { resolve: 'x' } } as unknown as CorsOptions),
      /'dynamicOrigins' must be \{ resolve: \(origin\)/,
    );
    assert.throws(
      () => compile({ origins: '*', dynamicOrigins: { resolve: () => [] } } as unknown as CorsOptions),
      /origin-wildcard-mixed/,
    );
  });
});

for (const adapter of ADAPTERS) {
  describe(`dynamicOrigins, async, on ${adapter}`, () => {
    let app: RunningApp;
    before(async () => {
      app = await startApp(adapter, {
        credentials: true,
        methods: ['PUT'],
        dynamicOrigins: {
          resolve: async (origin: string) => {
            await new Promise((r) => setTimeout(r, 10));
            return origin === T ? [T] : [];
          },
        },
      } as CorsOptions);
    });
    after(() => app.close());
    test('the tenant’s origin is allowed on preflight and actual request; another is not', async () => {
      const pre = await raw(
        app.url,
        rawRequest('OPTIONS', '/ok', [`Origin: ${T}`, 'Access-Control-Request-Method: PUT']),
      );
      assert.equal(pre.status, 204, pre.head);
      assert.ok(pre.lines.includes(`access-control-allow-origin: ${T}`), pre.head);
      const actual = await raw(app.url, rawRequest('GET', '/ok', [`Origin: ${T}`]));
      assert.equal(actual.status, 200, actual.head);
      assert.ok(actual.lines.includes(`access-control-allow-origin: ${T}`), actual.head);
      const other = await raw(app.url, rawRequest('GET', '/ok', [`Origin: ${OTHER}`]));
      assert.equal(other.status, 200, other.head);
      assert.ok(!other.head.toLowerCase().includes('access-control-allow-origin'), other.head);
      const otherPre = await raw(
        app.url,
        rawRequest('OPTIONS', '/ok', [`Origin: ${OTHER}`, 'Access-Control-Request-Method: PUT']),
      );
      assert.equal(otherPre.status, 403, otherPre.head);
    });
  });
}
