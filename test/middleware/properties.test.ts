/**
 * fast-check properties of the decision function over random valid policies and hostile requests:
 *  - never `*` together with credentials;
 *  - never an Allow-Origin the policy does not allow (checked against an independent matcher built on
 *    WHATWG URL parsing);
 *  - `Vary: Origin` whenever the answer depends on the origin (every non-`*` policy, every kind);
 *  - no CR, LF, NUL or other control byte from the request in any header value;
 *  - adversarial Access-Control-Request-Headers (up to 1 MB, thousands of names, odd bytes) is refused
 *    or granted consistently with the allowed set, and a grant echoes only allowed names.
 * One property also runs over the wire against the node adapter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import {
  type Compiled,
  type CorsDecision,
  type CorsOptions,
  compile,
  decide,
} from '../../src/middleware/core/index.ts';
import { type RunningApp, send, startApp, values, varyTokens } from './apps.ts';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc
  .tuple(label, fc.constantFrom('example.com', 'example.org', 'test.example'))
  .map(([l, d]) => `${l}.${d}`);
const port = fc.option(fc.integer({ min: 1024, max: 65535 }).map(String), { nil: undefined });
const exactOrigin = fc
  .tuple(fc.constantFrom('https', 'http'), domain, port)
  .map(([s, h, p]) => `${s}://${h}${p ? `:${p}` : ''}`);
const patternOrigin = fc
  .tuple(fc.constantFrom('https', 'http'), fc.constantFrom('example.com', 'example.org'))
  .map(([s, d]) => `${s}://*.${d}`);

const policyArb = fc.record({
  origins: fc.oneof(
    fc.constant('*' as const),
    fc.array(fc.oneof(exactOrigin, exactOrigin, patternOrigin), { minLength: 1, maxLength: 5 }),
  ),
  credentials: fc.boolean(),
  methods: fc.subarray(['PUT', 'DELETE', 'PATCH', '*']),
  allowedHeaders: fc.subarray(['authorization', 'content-type', 'x-a', 'x-b', '*']),
  exposedHeaders: fc.subarray(['x-request-id', 'link']),
  maxAge: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }),
  debug: fc.boolean(),
});

/** Turn a random record into a valid policy (drop what validation would refuse). */
type RawPolicy = typeof policyArb extends fc.Arbitrary<infer X> ? X : never;
function toOptions(r: RawPolicy): CorsOptions {
  const cred = r.credentials && r.origins !== '*';
  return {
    origins: r.origins,
    credentials: cred,
    methods: cred ? r.methods.filter((m) => m !== '*') : r.methods,
    allowedHeaders: cred ? r.allowedHeaders.filter((h) => h !== '*') : r.allowedHeaders,
    exposedHeaders: r.exposedHeaders,
    maxAge: r.maxAge,
    debug: r.debug,
    dangerouslyAllowInsecureOrigins: true,
  } as CorsOptions;
}

/** Independent reference: is this request Origin allowed by the raw option list? (WHATWG URL based) */
function referenceAllows(list: readonly string[], origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false; // not a serialized origin (path, case, default port…)
  for (const entry of list) {
    if (entry === origin) return true;
    if (entry.includes('*.')) {
      const [scheme, rest] = entry.split('://*.');
      if (`${url.protocol}` === `${scheme}:` && url.port === '' && url.hostname.endsWith(`.${rest}`))
        return true;
    }
  }
  return false;
}

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    'https://evil.test\r\nSet-Cookie: x=1',
    'https://a.example.com\n',
    'null',
    '',
    ' https://a.example.com',
    'https://A.EXAMPLE.COM',
  ),
  fc
    .tuple(
      fc.oneof(
        exactOrigin,
        domain.map((d) => `https://x.${d}`),
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
    )
    .map(([a, b]) => a + b),
  exactOrigin,
  domain.map((d) => `https://${d}`),
);
const acrhArb = fc.oneof(
  fc.constant(undefined),
  fc.subarray(['authorization', 'content-type', 'x-a', 'x-b', 'x-c', 'X-A']).map((a) => a.join(',')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('x-a,\r\nx-b', 'x-a, x-b', ' x-a ,\tx-b ', ',,,', 'x-a;x-b'),
);
const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS', 'DELETE'),
  origin: fc.option(hostileString, { nil: undefined }),
  requestMethod: fc.option(
    fc.oneof(
      fc.constantFrom('PUT', 'DELETE', 'GET', 'PATCH', 'put', 'TRACE'),
      fc.string({ unit: 'binary', maxLength: 10 }),
    ),
    { nil: undefined },
  ),
  requestHeaders: acrhArb,
});

const header = (d: CorsDecision, name: string) => d.headers.find(([n]) => n === name)?.[1];

describe('decide: invariants (fast-check)', () => {
  test('never *, never an unlisted origin, Vary: Origin when it depends on it, no control bytes', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (raw, req) => {
        const options = toOptions(raw);
        const p: Compiled = compile(options);
        const d = decide(p, req);
        // The allowed-ACRH cache never changes an answer: asking again gives the same decision.
        assert.deepEqual(decide(p, req), d);
        const acao = header(d, 'access-control-allow-origin');
        // 1. never '*' with credentials (and never two names of one header)
        if (p.credentials) assert.notEqual(acao, '*');
        if (acao === '*') assert.equal(header(d, 'access-control-allow-credentials'), undefined);
        assert.equal(new Set(d.headers.map(([n]) => n)).size, d.headers.length);
        // 2. never an origin the policy does not allow
        if (acao !== undefined && acao !== '*') {
          assert.equal(acao, req.origin);
          assert.ok(
            referenceAllows(options.origins as string[], acao),
            `reflected ${JSON.stringify(acao)} for ${JSON.stringify(options.origins)}`,
          );
        }
        // 3. Vary: Origin whenever the answer depends on the origin
        if (!p.anyOrigin) assert.ok(d.vary?.split(', ').includes('Origin'), `no Vary: Origin on ${d.kind}`);
        else assert.ok(!(d.vary ?? '').includes('Origin') || d.kind === 'preflight');
        // 4. no CR/LF/NUL/control bytes, nothing outside visible ASCII (+ SP, HT)
        for (const [name, value] of d.headers) {
          assert.match(name, /^[a-z-]+$/);
          assert.doesNotMatch(value, /[^\t\x20-\x7e]/, `${name}: ${JSON.stringify(value)}`);
        }
        // Preflight specifics: status and grant only when everything is allowed.
        if (d.kind === 'preflight') {
          assert.ok(d.status === 204 || d.status === 403);
          if (d.allowed) {
            const acrh = req.requestHeaders ?? '';
            for (const n of acrh
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter(Boolean))
              assert.ok(
                p.headers.has(n) || (p.anyHeader && n !== 'authorization'),
                `granted ${n} not in ${[...p.headers].join(',')}`,
              );
          } else {
            assert.equal(header(d, 'access-control-allow-methods'), undefined);
            assert.equal(header(d, 'access-control-allow-headers'), undefined);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('adversarial Access-Control-Request-Headers: refused, bounded, never echoed', () => {
    const p = compile({ origins: ['https://app.example.com'], methods: ['PUT'], allowedHeaders: ['x-a'] });
    const big = [
      'x-a,'.repeat(262_144), // 1 MB of allowed names
      ' '.repeat(1_000_000), // hono's ReDoS input
      ','.repeat(1_000_000), // rs/cors #170 input
      Array.from({ length: 5000 }, (_, i) => `x-${i}`).join(','),
      'x-a,'.repeat(200).slice(0, 4000), // under the length cap, over the name cap
    ];
    for (const acrh of big) {
      const d = decide(p, {
        method: 'OPTIONS',
        origin: 'https://app.example.com',
        requestMethod: 'PUT',
        requestHeaders: acrh,
      });
      assert.equal(d.kind, 'preflight');
      assert.equal(d.kind === 'preflight' && d.allowed, false, `${acrh.length} chars`);
      assert.equal(header(d, 'access-control-allow-headers'), undefined);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (acrh) => {
        const d = decide(p, {
          method: 'OPTIONS',
          origin: 'https://app.example.com',
          requestMethod: 'PUT',
          requestHeaders: acrh,
        });
        const echoed = header(d, 'access-control-allow-headers');
        if (echoed !== undefined) {
          assert.equal(echoed, acrh);
          assert.match(echoed, /^[xXaA,\- \t]*$/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('node adapter over the wire: invariants (fast-check)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startApp('node', {
      origins: ['https://app.example.com', 'https://*.example.org'],
      credentials: true,
      methods: ['PUT'],
      allowedHeaders: ['x-a'],
    });
  });
  after(() => app.close());

  test('random origins and header lists: one Allow-Origin at most, allowed only, Vary: Origin always', async () => {
    const wireSafe = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          wireSafe,
          exactOrigin,
          domain.map((d) => `https://${d}`),
        ),
        fc.boolean(),
        fc.oneof(fc.constant(''), wireSafe, fc.constantFrom('x-a', 'x-a,x-b', 'X-A')),
        async (origin, preflight, acrh) => {
          const headers: Record<string, string> = { origin };
          if (preflight) headers['access-control-request-method'] = 'PUT';
          if (preflight && acrh) headers['access-control-request-headers'] = acrh;
          const r = await send(app.url, preflight ? 'OPTIONS' : 'GET', '/ok', headers);
          const acao = values(r, 'access-control-allow-origin');
          assert.ok(acao.length <= 1);
          if (acao.length === 1) {
            assert.equal(acao[0], origin);
            assert.ok(referenceAllows(['https://app.example.com', 'https://*.example.org'], origin), origin);
          }
          assert.ok(varyTokens(r).includes('origin'));
        },
      ),
      { numRuns: 150 },
    );
  });
});

test('node adapter: the policy is exposed read-only for introspection', () => {
  const mw = nodeCors({ origins: ['https://app.example.com'] });
  assert.deepEqual(mw.policy.origins, ['https://app.example.com']);
  assert.throws(() => {
    (mw.policy as { credentials: boolean }).credentials = true;
  }, TypeError);
});
