/**
 * Validation at construction: every problem code is produced by some configuration, every problem of
 * a configuration is reported at once, messages name the fix, and good configurations pass.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import {
  CorsConfigError,
  type CorsConfigProblem,
  type CorsOptions,
  compile,
  decide,
  PROBLEM_CODES,
  type ProblemCode,
} from '../../src/middleware/core/index.ts';

function problemsOf(options: unknown): CorsConfigProblem[] {
  try {
    compile(options as CorsOptions);
  } catch (err) {
    assert.ok(err instanceof CorsConfigError, `expected CorsConfigError, got ${String(err)}`);
    return [...err.problems];
  }
  return [];
}

const L = ['https://app.example.com'];

/** [configuration, the codes it must produce (exactly, in any order)]. */
const CASES: [string, unknown, ProblemCode[]][] = [
  ['typo from expressjs/cors', { origin: 'https://app.example.com' }, ['option-unknown', 'origins-missing']],
  ['credentials as a string', { origins: L, credentials: 'true' }, ['option-type']],
  ['origins as one string', { origins: 'https://app.example.com' }, ['option-type']],
  ['no origins', {}, ['origins-missing']],
  ['empty list', { origins: [] }, ['origins-missing']],
  ['env list missing', { origins: { production: L }, env: 'staging' }, ['origins-environment-missing']],
  ['empty string', { origins: [''] }, ['origin-empty']],
  ["'null'", { origins: ['null'] }, ['origin-null']],
  ['no scheme', { origins: ['app.example.com'] }, ['origin-missing-scheme']],
  ['file scheme', { origins: ['file:///home/me/index.html'] }, ['origin-unsupported-scheme']],
  ['trailing slash', { origins: ['https://app.example.com/'] }, ['origin-trailing-slash']],
  ['path', { origins: ['https://app.example.com/app'] }, ['origin-has-path']],
  ['query', { origins: ['https://app.example.com?x=1'] }, ['origin-has-query']],
  ['userinfo', { origins: ['https://me@app.example.com'] }, ['origin-has-userinfo']],
  [
    'default port',
    { origins: ['https://app.example.com:443', 'http://localhost:80'] },
    ['origin-default-port', 'origin-default-port'],
  ],
  [
    'bad port',
    { origins: ['https://app.example.com:99999', 'https://app.example.com:0080'] },
    ['origin-invalid-port', 'origin-invalid-port'],
  ],
  [
    'upper case',
    { origins: ['https://App.Example.com', 'HTTPS://app.example.com'] },
    ['origin-upper-case', 'origin-upper-case'],
  ],
  [
    'bad hosts',
    { origins: ['https://exa mple.com', 'https://bücher.example', 'https://127.1', 'https://a..b'] },
    ['origin-invalid-host', 'origin-invalid-host', 'origin-invalid-host', 'origin-invalid-host'],
  ],
  ["'*' mixed with origins", { origins: ['*', 'https://app.example.com'] }, ['origin-wildcard-mixed']],
  [
    'star inside a label',
    { origins: ['https://app*.example.com', 'https://app.*.example.com'] },
    ['origin-pattern-invalid', 'origin-pattern-invalid'],
  ],
  ['pattern on an IP', { origins: ['http://*.127.0.0.1'] }, ['origin-pattern-invalid']],
  [
    'public suffixes',
    { origins: ['https://*.com', 'https://*.co.uk', 'https://*.github.io'] },
    ['origin-pattern-public-suffix', 'origin-pattern-public-suffix', 'origin-pattern-public-suffix'],
  ],
  ["'*' with credentials", { origins: '*', credentials: true }, ['wildcard-origin-with-credentials']],
  [
    'http with credentials',
    { origins: ['http://app.example.com'], credentials: true },
    ['insecure-origin-with-credentials'],
  ],
  [
    'localhost in production',
    { origins: ['http://localhost:3000', 'http://127.0.0.1:5173'], env: 'production' },
    ['localhost-in-production', 'localhost-in-production'],
  ],
  [
    'localhost in the production list while developing',
    { origins: { production: ['http://localhost:3000'], development: ['http://localhost:3000'] } },
    ['localhost-in-production'],
  ],
  ['bad method', { origins: L, methods: ['PUT ', 'GET,POST'] }, ['method-invalid', 'method-invalid']],
  [
    'forbidden methods',
    { origins: L, methods: ['CONNECT', 'trace', 'TRACK'] },
    ['method-forbidden', 'method-forbidden', 'method-forbidden'],
  ],
  [
    'lower-case normalized method',
    { origins: L, methods: ['put', 'delete'] },
    ['method-not-normalized', 'method-not-normalized'],
  ],
  ['debug in production', { origins: L, debug: true, env: 'prod' }, ['debug-in-production']],
  [
    'CORS response headers in allowedHeaders (mistake 12)',
    { origins: L, allowedHeaders: ['Access-Control-Allow-Origin', 'access-control-max-age'] },
    ['header-cors-response', 'header-cors-response'],
  ],
  [
    'request-only headers in exposedHeaders',
    { origins: L, exposedHeaders: ['Origin', 'access-control-request-headers'] },
    ['exposed-header-request-only', 'exposed-header-request-only'],
  ],
  [
    'bad header names',
    { origins: L, allowedHeaders: ['x-a, x-b', 'x:y'] },
    ['header-invalid', 'header-invalid'],
  ],
  [
    'forbidden header names',
    { origins: L, allowedHeaders: ['Cookie', 'origin', 'sec-fetch-mode', 'proxy-authorization'] },
    ['header-forbidden', 'header-forbidden', 'header-forbidden', 'header-forbidden'],
  ],
  ['bad exposed header', { origins: L, exposedHeaders: ['x request id'] }, ['exposed-header-invalid']],
  ['forbidden exposed header', { origins: L, exposedHeaders: ['Set-Cookie'] }, ['exposed-header-forbidden']],
  [
    "exposedHeaders '*' with credentials",
    { origins: L, credentials: true, exposedHeaders: ['*'] },
    ['wildcard-exposed-with-credentials'],
  ],
  ['max-age negative / fractional / string', { origins: L, maxAge: -1 }, ['max-age-invalid']],
  ['max-age fraction', { origins: L, maxAge: 1.5 }, ['max-age-invalid']],
  ['max-age too large', { origins: L, maxAge: 86401 }, ['max-age-out-of-range']],
];

describe('validation: each problem code', () => {
  for (const [name, options, codes] of CASES) {
    test(`${name} → ${[...new Set(codes)].join(', ')}`, () => {
      const problems = problemsOf(options);
      assert.deepEqual(
        problems.map((p) => p.code).sort(),
        [...codes].sort(),
        JSON.stringify(problems, null, 1),
      );
      for (const p of problems) {
        assert.ok(p.message.length > 20, 'message says something');
        assert.ok('value' in p);
      }
    });
  }

  test('the cases cover every problem code', () => {
    const covered = new Set(CASES.flatMap(([, , codes]) => codes));
    assert.deepEqual(
      PROBLEM_CODES.filter((c) => !covered.has(c)),
      [],
    );
  });
});

describe('validation: all problems at once, with the fix', () => {
  test('one bad configuration reports every problem in one error', () => {
    const options = {
      origins: [
        'https://App.example.com/',
        'example.com',
        'null',
        'https://*.com',
        'http://api.example.com',
        'https://a.com:443',
        'http://localhost:3000',
      ],
      credentials: true,
      env: 'production',
      methods: ['put', 'TRACE'],
      allowedHeaders: ['cookie', '*'],
      exposedHeaders: ['*'],
      maxAge: 100000,
      allowHeaders: ['x'],
    };
    let error: unknown;
    try {
      nodeCors(options as unknown as CorsOptions);
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof CorsConfigError);
    assert.equal(error.name, 'CorsConfigError');
    const codes = error.problems.map((p) => p.code);
    for (const code of [
      'origin-trailing-slash',
      'origin-upper-case',
      'origin-missing-scheme',
      'origin-null',
      'origin-pattern-public-suffix',
      'insecure-origin-with-credentials',
      'origin-default-port',
      'localhost-in-production',
      'method-not-normalized',
      'method-forbidden',
      'header-forbidden',
      'wildcard-exposed-with-credentials',
      'max-age-out-of-range',
      'option-unknown',
    ] as const)
      assert.ok(codes.includes(code), `missing ${code} in ${codes.join(', ')}`);
    assert.ok(error.problems.length >= 14);
    // Every problem is in the message too, so an uncaught error at start-up shows them all.
    for (const p of error.problems) assert.ok(error.message.includes(p.message));
  });

  test('messages name the corrected value', () => {
    const msg = (o: unknown) =>
      problemsOf(o)
        .map((p) => p.message)
        .join('\n');
    assert.match(
      msg({ origins: ['https://app.example.com/'] }),
      /Write 'https:\/\/app\.example\.com' instead/,
    );
    assert.match(
      msg({ origins: ['https://App.example.com'] }),
      /Write 'https:\/\/app\.example\.com' instead/,
    );
    assert.match(msg({ origins: ['app.example.com'] }), /'https:\/\/app\.example\.com'/);
    assert.match(
      msg({ origins: ['https://app.example.com:443'] }),
      /Write 'https:\/\/app\.example\.com' instead/,
    );
    assert.match(msg({ origins: ['https://bücher.example'] }), /xn--bcher-kva\.example/);
    assert.match(msg({ origins: L, methods: ['patch', 'put'] }), /Write 'PUT'/);
    assert.match(msg({ origin: L }), /use 'origins'/);
    assert.match(
      msg({ origins: ['http://localhost:3000'], env: 'production' }),
      /dangerouslyAllowLocalhostInProduction/,
    );
  });

  test('a non-object is refused with a usage example', () => {
    assert.deepEqual(
      problemsOf(undefined).map((p) => p.code),
      ['option-type'],
    );
    assert.deepEqual(
      problemsOf('*').map((p) => p.code),
      ['option-type'],
    );
  });
});

describe('validation: good configurations', () => {
  test('exact origins, patterns, per-environment lists and opt-ins compile', () => {
    const good: CorsOptions[] = [
      { origins: '*' },
      { origins: ['*'] },
      { origins: '*', allowedHeaders: ['*'], methods: ['*'], exposedHeaders: ['*'] },
      {
        origins: [
          'https://app.example.com',
          'https://*.example.com',
          'http://localhost:*',
          'http://[::1]:3000',
        ],
        credentials: true,
      },
      { origins: ['https://*.my-app.github.io', 'http://*.localhost:5173', 'https://xn--bcher-kva.example'] },
      { origins: ['http://127.0.0.1:8080'], credentials: true },
      { origins: ['http://intranet.example'], credentials: true, dangerouslyAllowInsecureOrigins: true },
      { origins: ['http://localhost:3000'], env: 'production', dangerouslyAllowLocalhostInProduction: true },
      {
        origins: { production: ['https://app.example.com'], development: ['http://localhost:5173'] },
        env: 'production',
        credentials: true,
      },
      {
        origins: L,
        methods: ['PUT', 'DELETE', 'patch', 'PATCH', 'QUERY'],
        allowedHeaders: ['Authorization', 'content-type', 'X-Trace'],
        maxAge: 0,
      },
      { origins: L, maxAge: 86400, exposedHeaders: ['X-Request-Id', 'Link'] },
    ];
    for (const options of good) assert.doesNotThrow(() => compile(options), JSON.stringify(options));
  });

  test('per-environment origins: the list in force follows env', () => {
    const byEnv = { production: ['https://app.example.com'], development: ['http://localhost:5173'] };
    const prod = compile({ origins: byEnv, env: 'production' });
    const dev = compile({ origins: byEnv, env: 'development' });
    assert.deepEqual(prod.origins, ['https://app.example.com']);
    assert.equal(dev.environment, 'development');
    assert.deepEqual(dev.origins, ['http://localhost:5173']);
    const ask = (p: ReturnType<typeof compile>, origin: string) => decide(p, { method: 'GET', origin });
    assert.equal(
      ask(prod, 'http://localhost:5173').kind === 'actual' &&
        ask(prod, 'http://localhost:5173').headers.length,
      0,
    );
    assert.deepEqual(ask(dev, 'http://localhost:5173').headers[0], [
      'access-control-allow-origin',
      'http://localhost:5173',
    ]);
  });

  test('adapters read NODE_ENV when env is not given', () => {
    const saved = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      assert.throws(
        () => nodeCors({ origins: ['http://localhost:3000'] }),
        (e: unknown) =>
          e instanceof CorsConfigError && e.problems.some((p) => p.code === 'localhost-in-production'),
      );
      assert.doesNotThrow(() => nodeCors({ origins: ['http://localhost:3000'], env: 'development' }));
    } finally {
      if (saved === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = saved;
    }
  });
});
