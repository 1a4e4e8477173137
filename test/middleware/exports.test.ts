/**
 * The published entry points: package.json `exports` maps `cors-doctor/middleware`, `/node`,
 * `/fastify`, `/koa` and `/fetch` to the compiled files, and each adapter exports one `cors` factory
 * plus CorsConfigError. Imported by package name (Node resolves a package's own name through its
 * exports), from the build `npm test` makes first.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};
const built = existsSync(join(root, 'dist/src/middleware/core/index.js'));

test('package exports point at the middleware files', () => {
  const expected: Record<string, string> = {
    './middleware': 'core/index',
    './node': 'adapters/node',
    './fastify': 'adapters/fastify',
    './koa': 'adapters/koa',
    './fetch': 'adapters/fetch',
  };
  for (const [sub, file] of Object.entries(expected)) {
    assert.equal(pkg.exports[sub]?.default, `./dist/src/middleware/${file}.js`);
    assert.equal(pkg.exports[sub]?.types, `./dist/src/middleware/${file}.d.ts`);
    assert.ok(existsSync(join(root, `src/middleware/${file}.ts`)), `src/middleware/${file}.ts`);
  }
});

test('each adapter, imported by package name, exports cors() and CorsConfigError', {
  skip: built ? false : 'dist/ not built (npm test builds it)',
}, async () => {
  for (const sub of ['node', 'fastify', 'koa', 'fetch']) {
    const mod = (await import(`cors-doctor/${sub}`)) as {
      cors: (o: unknown) => unknown;
      CorsConfigError: new () => Error;
    };
    assert.equal(typeof mod.cors, 'function', sub);
    assert.throws(
      () => mod.cors({ origins: ['https://a.example/'] }),
      (e: Error) => e.name === 'CorsConfigError',
      sub,
    );
    assert.equal(typeof mod.cors({ origins: ['https://a.example'] }), 'function', sub);
  }
  const core = (await import(
    'cors-doctor/middleware'
  )) as typeof import('../../src/middleware/core/index.ts');
  const policy = core.compile({ origins: ['https://a.example'] });
  assert.equal(core.decide(policy, { method: 'GET', origin: 'https://a.example' }).kind, 'actual');
});
