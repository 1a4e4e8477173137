/**
 * The JSON reports match the JSON Schemas shipped in `schemas/` (README links them): check's report in
 * each shape the suite produces (allowed, blocked, network error, held, refused), explain's report. Any
 * test may validate its own reports with `validateReport`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { run as runCheck } from '../../src/cli/commands/check.ts';
import { run as runExplain } from '../../src/cli/commands/explain.ts';
import { listen, type Running, refusedPort } from '../probe/hostile.ts';
import { capture } from './capture.ts';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const load = (name: string): object =>
  JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as object;
const validators = {
  check: ajv.compile(load('check-report.schema.json')),
  explain: ajv.compile(load('explain-report.schema.json')),
  har: ajv.compile(load('har-report.schema.json')),
  contract: ajv.compile(load('contract-report.schema.json')),
  scan: ajv.compile(load('scan-report.schema.json')),
};

export function validateReport(kind: keyof typeof validators, doc: unknown): void {
  const validate = validators[kind];
  assert.ok(validate(doc), `${kind} report does not match its schema: ${ajv.errorsText(validate.errors)}`);
}

const APP = 'https://myapp.com';
let api: Running;
before(async () => {
  api = await listen(
    http.createServer((req, res) => {
      if (req.url?.startsWith('/ok')) {
        res.setHeader('Access-Control-Allow-Origin', APP);
        res.setHeader('Access-Control-Allow-Methods', 'DELETE');
      }
      res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
      res.end();
    }),
  );
});
after(() => api.close());

describe('JSON Schemas', () => {
  test('the schema itself rejects a broken report (so validation can fail)', () => {
    assert.equal(validators.check({ schemaVersion: 1, request: {} }), false);
    assert.equal(validators.explain({ schemaVersion: 2, messages: [], hints: [] }), false);
  });

  const cases: [string, (u: string, dead: number) => string[]][] = [
    ['allowed', (u) => [`${u}/ok`, '--origin', APP]],
    ['blocked, with probes', (u) => [`${u}/no`, '--origin', APP, '--all-probes', '--method', 'PUT']],
    ['network error', (_u, dead) => [`http://127.0.0.1:${dead}/x`, '--origin', APP, '--no-probes']],
    [
      'held (a pasted preflight)',
      (u) => [
        '--curl',
        `curl '${u}/ok' -X OPTIONS -H 'Access-Control-Request-Method: DELETE' -H 'Origin: ${APP}'`,
      ],
    ],
    ['refused (user:pw URL)', (u) => [`${u.replace('://', '://a:b@')}/ok`, '--origin', APP]],
    ['mixed content', () => ['http://api.invalid/x', '--origin', APP, '--no-probes', '--timeout', '2s']],
  ];
  for (const [name, args] of cases)
    test(`check --json: ${name}`, async () => {
      const ctx = capture();
      await runCheck([...args(api.url, await refusedPort()), '--json'], ctx);
      validateReport('check', JSON.parse(ctx.out));
    });

  test('explain --json: several messages, and none', async () => {
    const ctx = capture();
    await runExplain(
      [
        "Access to fetch at 'https://api.example.com/' from origin 'https://myapp.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401.",
        '--json',
      ],
      ctx,
    );
    const doc = JSON.parse(ctx.out);
    assert.equal(doc.messages.length, 2);
    validateReport('explain', doc);
    const none = capture();
    await runExplain(['hello', '--json'], none);
    validateReport('explain', JSON.parse(none.out));
  });
});
