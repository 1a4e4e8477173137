/**
 * Type-level guarantees, checked by `npm run typecheck` (tsc over test/): `credentials: true` together
 * with a literal `*` is a compile error in every adapter's `cors()`. Each `@ts-expect-error` line fails
 * the typecheck if the error ever disappears. At run time the same configurations throw (JavaScript
 * callers and config files get the same protection).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cors as fastifyCors } from '../../src/middleware/adapters/fastify.ts';
import { cors as fetchCors } from '../../src/middleware/adapters/fetch.ts';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { CorsConfigError, definePolicy } from '../../src/middleware/core/index.ts';

const throwsConfig = (fn: () => unknown) => assert.throws(fn, CorsConfigError);

test('credentials with a wildcard origin is a type error and a runtime error', () => {
  // @ts-expect-error origins '*' cannot go with credentials: true
  throwsConfig(() => nodeCors({ origins: '*', credentials: true }));
  // @ts-expect-error a literal '*' in the list cannot go with credentials: true
  throwsConfig(() => nodeCors({ origins: ['*'], credentials: true }));
  // @ts-expect-error also through the Koa adapter
  throwsConfig(() => koaCors({ origins: '*', credentials: true }));
  // @ts-expect-error also through the fetch/Hono adapter
  throwsConfig(() => fetchCors({ origins: ['*'], credentials: true }));
  // @ts-expect-error also through the Fastify factory
  throwsConfig(() => fastifyCors({ origins: '*', credentials: true }));
  // @ts-expect-error and through definePolicy
  throwsConfig(() => definePolicy({ origins: ['https://a.example', '*'], credentials: true }));
});

test("'*' in exposed headers with credentials is a type error too; in methods and headers it is fine", () => {
  // Echoed, never sent as '*': safe with credentials (issue 19), so no error at either level.
  nodeCors({ origins: ['https://a.example'], credentials: true, allowedHeaders: ['*'], methods: ['*'] });
  // @ts-expect-error exposedHeaders '*' with credentials
  throwsConfig(() => nodeCors({ origins: ['https://a.example'], credentials: true, exposedHeaders: ['*'] }));
});

test('the same shapes without credentials, and lists typed string[], still compile', () => {
  assert.equal(nodeCors({ origins: '*', allowedHeaders: ['*'] }).policy.anyOrigin, true);
  assert.equal(definePolicy({ origins: ['https://a.example'], credentials: true }).credentials, true);
  const fromConfig: string[] = ['https://a.example'];
  assert.equal(koaCors({ origins: fromConfig, credentials: true }).policy.credentials, true);
});
