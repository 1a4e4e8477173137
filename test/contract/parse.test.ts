/**
 * The contract file: the issue's example reads as written (defaults, headers, data, ignore), JSON reads
 * too, and every kind of mistake in a contract is reported at once with its line, column and fix. The
 * shipped JSON Schema (for editors) accepts the same example and rejects the same mistakes it can see.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { FINDING_IDS } from '../../src/catalog/ids.ts';
import { checkContractOrigin } from '../../src/contract/origin.ts';
import { parseContract } from '../../src/contract/parse.ts';
import type { ContractProblem } from '../../src/contract/types.ts';

export const ISSUE_EXAMPLE = `version: 1
base: https://api.example.com        # optional; relative endpoint URLs resolve against it
defaults:                            # optional; any endpoint field
  credentials: include
endpoints:
  - name: orders                     # optional; default "METHOD url"
    url: /api/orders/1
    method: PUT                      # default GET
    headers: { Content-Type: application/json, Authorization: Bearer test-token }
    credentials: include             # omit | same-origin | include
    data: '{"qty":1}'                # optional body of the actual request
    allow: [https://app.example.com, https://admin.example.com]   # must be allowed
    deny: [https://evil.example, "null", http://localhost:3000]   # must get no usable ACAO
    expose: [X-Request-ID]           # must be readable by the page's script
  - name: public-feed
    url: https://cdn.example.com/feed.json
    allow: https://app.example.com
ignore:                              # findings accepted on purpose, each with a reason
  - finding: missing-vary-origin
    endpoint: public-feed            # optional: a name, or omitted for all
    reason: served with * and cached per URL on purpose
`;

const problemsOf = (text: string): ContractProblem[] => {
  const r = parseContract(text);
  assert.equal(r.ok, false, 'the contract should be invalid');
  return r.ok ? [] : r.problems;
};

describe('contract parsing', () => {
  test("the issue's example reads as written", () => {
    const r = parseContract(ISSUE_EXAMPLE);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    const [orders, feed] = r.contract.endpoints;
    assert.deepEqual(
      { ...orders, line: orders!.line },
      {
        name: 'orders',
        url: 'https://api.example.com/api/orders/1',
        method: 'PUT',
        headers: [
          ['Content-Type', 'application/json'],
          ['Authorization', 'Bearer test-token'],
        ],
        credentials: 'include',
        data: '{"qty":1}',
        allow: ['https://app.example.com', 'https://admin.example.com'],
        deny: ['https://evil.example', 'null', 'http://localhost:3000'],
        expose: ['X-Request-ID'],
        index: 0,
        line: 6,
        column: 5,
      },
    );
    // defaults apply where the endpoint is silent; a single origin string is a one-item list
    assert.equal(feed!.credentials, 'include');
    assert.deepEqual(feed!.allow, ['https://app.example.com']);
    assert.equal(feed!.line, 15);
    assert.deepEqual(r.contract.ignore, [
      {
        finding: 'missing-vary-origin',
        endpoint: 'public-feed',
        reason: 'served with * and cached per URL on purpose',
        line: 19,
        column: 5,
      },
    ]);
  });

  test('JSON contracts read the same, with positions', () => {
    const json = JSON.stringify(parseYaml(ISSUE_EXAMPLE), null, 2);
    const r = parseContract(json);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    assert.equal(r.contract.endpoints.length, 2);
    const line = json.split('\n').findIndex((l) => l.includes('"name": "orders"')) + 1;
    assert.ok(r.contract.endpoints[0]!.line > 1 && r.contract.endpoints[0]!.line < line + 1);
  });

  test('default name is METHOD url; data without Content-Type goes out as text/plain (fetch)', () => {
    const r = parseContract(
      'version: 1\nendpoints:\n  - url: https://api.example.com/x\n    method: post\n    data: hi\n    allow: [https://a.example]\n',
    );
    assert.ok(r.ok);
    assert.equal(r.contract.endpoints[0]!.name, 'POST https://api.example.com/x');
    assert.deepEqual(r.contract.endpoints[0]!.headers, [['Content-Type', 'text/plain;charset=UTF-8']]);
  });

  test('defaults headers add up with the endpoint’s own, which win by name', () => {
    const r = parseContract(
      'version: 1\ndefaults:\n  headers: { Authorization: Bearer a, X-Trace: "1" }\nendpoints:\n  - url: https://api.example.com/x\n    headers: { authorization: Bearer b }\n    allow: [https://a.example]\n',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.contract.endpoints[0]!.headers, [
      ['X-Trace', '1'],
      ['authorization', 'Bearer b'],
    ]);
  });

  test('every problem at once, each with line, column and a fix', () => {
    const text = `version: 2
base: api.example.com
endpoints:
  - name: orders
    url: /api/orders/1
    method: GET
    data: '{}'
    headers: { Origin: https://app.example.com, Cookie: a=1 }
    credentials: true
    allow: [https://app.example.com/, HTTPS://App.Example.com, https://app.example.com:443, app.example.com]
    deny: [null, https://evil.example/path, https://ok.example]
    expose: [X Request]
    alow: [https://x.example]
  - name: orders
    url: /b
    allow: [https://ok.example]
    deny: [https://ok.example]
  - url: ftp://files.example.com/x
    allow: ['*']
ignore:
  - finding: missing-vary-orgin
    endpoint: ordres
  - finding: origin-reflected
    reason: ''
`;
    const problems = problemsOf(text);
    const at = (needle: string): ContractProblem => {
      const p = problems.find((x) => x.message.includes(needle));
      assert.ok(p, `no problem mentions "${needle}": ${problems.map((x) => x.message).join(' | ')}`);
      return p;
    };
    assert.deepEqual(
      { line: at('version').line, fix: at('version').fix },
      { line: 1, fix: 'write version: 1' },
    );
    assert.match(at("base 'api.example.com'").fix, /https:\/\/api\.example\.com/);
    const slash = at('trailing slash');
    assert.deepEqual([slash.line, slash.column, slash.path], [10, 13, 'endpoints[0].allow[0]']);
    assert.match(slash.fix, /write https:\/\/app\.example\.com \(no trailing slash\)/);
    assert.match(at("'HTTPS://App.Example.com' is not how").fix, /https:\/\/app\.example\.com/);
    assert.match(at('default port 443').fix, /write https:\/\/app\.example\.com/);
    assert.match(at('has no scheme').fix, /write https:\/\/app\.example\.com/);
    assert.match(at('unquoted null').fix, /"null"/);
    assert.equal(at('unquoted null').line, 11);
    assert.match(at('has a path').fix, /https:\/\/evil\.example/);
    assert.match(at('cannot have a body').fix, /method: POST/);
    assert.match(at('cannot send Origin').fix, /allow and deny/);
    assert.match(at('cannot send Cookie').fix, /cookie:/);
    assert.match(at("credentials 'true'").fix, /include/);
    assert.match(at("'X Request' is not a header name").fix, /X-Request-ID/);
    assert.deepEqual(
      [at("unknown field 'alow'").line, at("unknown field 'alow'").fix],
      [13, "did you mean 'allow'?"],
    );
    assert.equal(at('used twice').line, 14);
    assert.equal(at('both allowed and denied').line, 17);
    assert.match(at('is not http(s)').message, /ftp:/);
    assert.match(at("'*' is not an origin").fix, /one by one/);
    assert.equal(at("'missing-vary-orgin' is not a finding id").fix, "did you mean 'missing-vary-origin'?");
    assert.equal(at("no endpoint is named 'ordres'").fix, "did you mean 'orders'?");
    assert.equal(problems.filter((p) => p.message === 'an accepted finding needs a reason').length, 2);
    // sorted by position, so the list reads top to bottom like the file
    const order = problems.map((p) => p.line * 1000 + p.column);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
  });

  test('structural problems: YAML syntax, not a mapping, no endpoints, relative URL without base', () => {
    const syntax = problemsOf('version: 1\nendpoints:\n  - url: "unclosed\n');
    assert.ok(syntax[0]!.line >= 3, JSON.stringify(syntax));
    assert.match(problemsOf('- a\n- b\n')[0]!.message, /not a mapping/);
    assert.match(problemsOf('version: 1\n')[0]!.message, /no endpoints/);
    const rel = problemsOf('version: 1\nendpoints:\n  - url: /x\n    allow: [https://a.example]\n');
    assert.match(rel[0]!.fix, /add base:/);
    assert.equal(rel[0]!.line, 3);
    assert.match(
      problemsOf('version: 1\nendpoints:\n  - url: https://a.example/x\n')[0]!.message,
      /expects nothing/,
    );
    assert.match(
      problemsOf('version: 1\nendpoints:\n  - url: https://a.example/x\n    a: 1\n    a: 2\n')[0]!.message,
      /unique/i,
    );
  });

  test('origins: exactly scheme://host[:port] or null', () => {
    for (const ok of ['https://app.example.com', 'http://localhost:3000', 'null', 'http://[::1]:8080'])
      assert.deepEqual(checkContractOrigin(ok), { ok: true, origin: ok });
    for (const bad of [
      'https://a.example/',
      'https://a.example/x',
      'a.example',
      '*',
      'file:///x',
      'https://u:p@a.example',
      '',
    ])
      assert.equal(checkContractOrigin(bad).ok, false, bad);
  });
});

describe('contract JSON Schema (for editors)', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../schemas/contract.schema.json', import.meta.url), 'utf8'),
  );
  // Union types (string | number for a header value) are plain draft-07; ajv's strict mode only flags them.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  test("accepts the issue's example", () => {
    assert.ok(validate(parseYaml(ISSUE_EXAMPLE)), ajv.errorsText(validate.errors));
  });

  test('rejects what an editor can see: unknown field, trailing slash, bad finding id, no reason', () => {
    const bad = parseYaml(ISSUE_EXAMPLE) as {
      endpoints: Record<string, unknown>[];
      ignore: Record<string, unknown>[];
    };
    for (const broken of [
      { ...bad, endpoints: [{ ...bad.endpoints[0], alow: [] }] },
      { ...bad, endpoints: [{ ...bad.endpoints[0], allow: ['https://app.example.com/'] }] },
      { ...bad, ignore: [{ finding: 'missing-vary-orgin', reason: 'x' }] },
      { ...bad, ignore: [{ finding: 'missing-vary-origin' }] },
      { ...bad, version: 2 },
    ])
      assert.equal(validate(broken), false, JSON.stringify(broken).slice(0, 200));
  });

  test('its finding ids are the catalog’s', () => {
    assert.deepEqual(schema.properties.ignore.items.properties.finding.enum, [...FINDING_IDS]);
  });
});
