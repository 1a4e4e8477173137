/**
 * Type-level guarantees, checked by `npm run typecheck` (tsc over test/): `credentials: true` together
 * with a literal `*` is a compile error in every adapter's `cors()`. Each `@ts-expect-error` line fails
 * the typecheck if the error ever disappears. At run time the same configurations throw (JavaScript
 * callers and config files get the same protection).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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

test('the compiler error reads as the sentence naming the fix, on the offending option', () => {
  // Compiles a caller's file with the project's own tsconfig and reads the diagnostics' text.
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(root, 'test/middleware/.types-'));
  try {
    const file = join(dir, 'caller.ts');
    writeFileSync(
      file,
      [
        "import { cors } from '../../../src/middleware/adapters/node.ts';",
        "cors({ origins: '*', credentials: true });",
        "cors({ origins: ['https://a.example', '*'], credentials: true });",
        "cors({ origins: ['https://a.example'], credentials: true, exposedHeaders: ['*'] });",
        "cors({ origins: ['https://a.example'], credentials: true, exposedHeaders: ['x-id'] });",
      ].join('\n'),
    );
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    );
    assert.ok(config);
    const program = ts.createProgram([file], { ...config.options, noEmit: true });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => ({
        line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1,
        column: d.file!.getLineAndCharacterOfPosition(d.start!).character + 1,
        text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      }));
    assert.deepEqual(
      errors.map((e) => [e.line, e.column]),
      [
        [2, 8],
        [3, 8],
        [4, 59],
      ],
      'one error per refused call, on origins or exposedHeaders; none on the correct call',
    );
    for (const e of errors.slice(0, 2))
      assert.match(
        e.text,
        /credentials: true cannot be used with origins: '\*'; list the exact origins instead/,
      );
    assert.match(errors[2]!.text, /credentials: true cannot be used with exposedHeaders: \['\*'\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
