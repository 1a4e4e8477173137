/**
 * Pure unit tests of the browser model for what a real browser cannot easily show: byte limits,
 * Range and Content-Type parsing, method normalisation, header-list "get", hint encoding, origin
 * parsing, the redirect limit and the generator protocol. (Everything a browser CAN show is in
 * chromium-differential.test.ts against the real Chromium.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { caseFoldingHash, predictHeaderOrder } from '../../src/browser/header-order.ts';
import {
  accessControlRequestHeaders,
  applyPageHeaders,
  checkAccess,
  checkMethod,
  chromeMessage,
  classifyRequest,
  corsUnsafeRequestHeaderNames,
  encodeHint,
  getHeader,
  isCorsSafelistedContentType,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  normalizeMethod,
  type PageRequest,
  parseAllowList,
  parseOrigin,
  parseRangeHeader,
  preflightMaxAge,
  readableHeaders,
  runSimulation,
  simulate,
  type WireResponse,
} from '../../src/browser/index.ts';

const PAGE = 'https://app.example.com';
const API = 'https://api.example.com/v1/items';
const req = (over: Partial<PageRequest> = {}): PageRequest => ({
  url: API,
  origin: PAGE,
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  ...over,
});
const ok = (headers: [string, string][], status = 200): WireResponse => ({
  kind: 'response',
  status,
  headers,
});

describe('methods', () => {
  test('normalises the six, keeps the rest as written', () => {
    assert.equal(normalizeMethod('put'), 'PUT');
    assert.equal(normalizeMethod('Delete'), 'DELETE');
    assert.equal(normalizeMethod('patch'), 'patch');
    assert.equal(normalizeMethod('PATCH'), 'PATCH');
  });
  test('forbidden and invalid methods never reach the network', () => {
    assert.deepEqual(checkMethod('connect').ok, false);
    assert.deepEqual(checkMethod('TRACK').ok, false);
    assert.equal(checkMethod('GE T').ok, false);
    const v = runSimulation(req({ method: 'TRACE' }), () => assert.fail('no request may be sent'));
    assert.equal(v.allowed, false);
    assert.match(v.jsError ?? '', /unsupported/);
    assert.equal(v.exchanges.length, 0);
  });
});

describe('request headers', () => {
  test('128-byte value limit: 128 is safelisted, 129 is not', () => {
    assert.equal(isCorsSafelistedRequestHeader('Accept', 'a'.repeat(128)), true);
    assert.equal(isCorsSafelistedRequestHeader('Accept', 'a'.repeat(129)), false);
    assert.equal(isCorsSafelistedRequestHeader('Content-Language', 'b'.repeat(129)), false);
  });
  test('1024-byte total: over it, every safelisted name becomes unsafe', () => {
    const d = '1'.repeat(128);
    const under: [string, string][] = [
      ['Accept', 'a'.repeat(128)],
      ['DPR', d],
      ['Width', d],
      ['RTT', d],
      ['Viewport-Width', d],
      ['Device-Memory', d],
      ['Downlink', d],
      ['Accept-Language', 'en'.repeat(64)],
    ];
    assert.equal(
      under.reduce((n, [, v]) => n + v.length, 0),
      1024,
    );
    assert.deepEqual(corsUnsafeRequestHeaderNames(under), []);
    const over: [string, string][] = [...under, ['Content-Language', 'x']];
    assert.deepEqual(corsUnsafeRequestHeaderNames(over), [
      'accept',
      'accept-language',
      'content-language',
      'device-memory',
      'downlink',
      'dpr',
      'rtt',
      'viewport-width',
      'width',
    ]);
  });
  test('Content-Type essence', () => {
    for (const v of [
      'text/plain',
      'TEXT/PLAIN',
      ' text/plain ; charset=utf-8',
      'multipart/form-data; boundary=x',
    ]) {
      assert.equal(isCorsSafelistedContentType(v), true, v);
    }
    for (const v of [
      'application/json',
      'text/plain; a="b"',
      'text',
      'text/plain, text/html',
      'text/plain{',
    ]) {
      assert.equal(isCorsSafelistedContentType(v), false, v);
    }
  });
  test('Range parsing and the simple-range rule', () => {
    assert.deepEqual(parseRangeHeader('bytes=0-99'), [{ first: 0, last: 99 }]);
    assert.deepEqual(parseRangeHeader('bytes=10-'), [{ first: 10, last: null }]);
    assert.deepEqual(parseRangeHeader('bytes=-5'), [{ suffix: 5 }]);
    assert.equal(parseRangeHeader('bytes=5-2'), null);
    assert.equal(parseRangeHeader('items=0-1'), null);
    assert.equal(parseRangeHeader('bytes=a-b'), null);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes=0-99'), true);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes=-5'), false);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes=0-1,2-3'), false);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'Bytes=0-1'), false);
    assert.equal(isCorsSafelistedRequestHeader('Range', 'bytes= 0-1'), false);
  });
  test("Chromium's extra safelisted names and their value rules", () => {
    assert.equal(isCorsSafelistedRequestHeader('DPR', '2.5'), true);
    assert.equal(isCorsSafelistedRequestHeader('DPR', '2.'), false);
    assert.equal(isCorsSafelistedRequestHeader('Width', '1.5'), false);
    assert.equal(isCorsSafelistedRequestHeader('ECT', '3g'), true);
    assert.equal(isCorsSafelistedRequestHeader('ECT', '5g'), false);
    assert.equal(isCorsSafelistedRequestHeader('Save-Data', 'ON'), true);
    assert.equal(isCorsSafelistedRequestHeader('X-Custom', '1'), false);
  });
  test('Accept-Language bytes', () => {
    assert.equal(isCorsSafelistedRequestHeader('Accept-Language', 'en-US,en;q=0.9'), true);
    assert.equal(isCorsSafelistedRequestHeader('Accept-Language', 'en_US'), false);
    assert.equal(isCorsSafelistedRequestHeader('Accept-Language', 'fr\u00e9'), false);
  });
  test('forbidden names, including method overrides naming a forbidden method', () => {
    for (const n of [
      'Cookie',
      'host',
      'Origin',
      'Sec-Fetch-Mode',
      'Proxy-Authorization',
      'User-Agent',
      'Content-Length',
    ]) {
      assert.equal(isForbiddenRequestHeader(n), true, n);
    }
    assert.equal(isForbiddenRequestHeader('X-HTTP-Method-Override', 'GET, trace'), true);
    assert.equal(isForbiddenRequestHeader('X-HTTP-Method-Override', 'PUT'), false);
    assert.equal(isForbiddenRequestHeader('Authorization'), false);
  });
  test('the page cannot set forbidden headers: classifyRequest says so', () => {
    const c = classifyRequest(
      req({
        headers: [
          ['Cookie', 'a=b'],
          ['X-Api-Key', 'k'],
        ],
      }),
    );
    assert.deepEqual(c.forbiddenHeaderNames, ['Cookie']);
    assert.deepEqual(c.unsafeHeaderNames, ['x-api-key']);
    assert.equal(c.needsPreflight, true);
    assert.equal(getHeader(c.preflight?.headers ?? [], 'Access-Control-Request-Headers'), 'x-api-key');
  });
  test('duplicate page headers combine before the safelist check', () => {
    const h = applyPageHeaders(
      [
        ['Accept', 'a'.repeat(100)],
        ['accept', 'b'.repeat(100)],
      ],
      'cors',
    );
    assert.equal(h.headers.length, 1);
    assert.deepEqual(corsUnsafeRequestHeaderNames(h.headers), ['accept']);
  });
  test('invalid header values throw before any request', () => {
    assert.match(applyPageHeaders([['X-A', 'a\nb']], 'cors').error ?? '', /Invalid value/);
    assert.match(applyPageHeaders([['X A', '1']], 'cors').error ?? '', /Invalid name/);
    assert.match(applyPageHeaders([['X-A', '\u20ac']], 'cors').error ?? '', /ISO-8859-1/);
  });
  test('ACRH: sorted, lower-cased, deduplicated, comma without space; property over random names', () => {
    assert.equal(
      accessControlRequestHeaders([
        ['X-B', '1'],
        ['x-a', '1'],
        ['Content-Type', 'application/json'],
      ]),
      'content-type,x-a,x-b',
    );
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^x-[a-z]{1,8}$/), { minLength: 1, maxLength: 8 }), (names) => {
        const acrh = accessControlRequestHeaders(names.map((n) => [n.toUpperCase(), '1']));
        const items = (acrh ?? '').split(',');
        assert.deepEqual(items, [...new Set(names)].sort());
      }),
    );
  });
});

describe('response side', () => {
  test('"get" joins lines with ", " and trims', () => {
    assert.equal(
      getHeader(
        [
          ['A', ' x '],
          ['b', 'y'],
          ['a', 'z'],
        ],
        'a',
      ),
      'x, z',
    );
    assert.equal(getHeader([], 'a'), null);
  });
  test('CheckAccess error precedence', () => {
    const o = 'https://app.example.com';
    assert.equal(checkAccess([], 'omit', o).ok, false);
    const e = (h: [string, string][], c: 'omit' | 'include' = 'omit') => {
      const r = checkAccess(h, c, o);
      return r.ok ? 'ok' : `${r.error}:${r.failedParameter}`;
    };
    assert.equal(e([['Access-Control-Allow-Origin', '*']]), 'ok');
    assert.equal(e([['Access-Control-Allow-Origin', '*']], 'include'), 'WildcardOriginNotAllowed:');
    assert.equal(e([['Access-Control-Allow-Origin', 'null']]), 'AllowOriginMismatch:null');
    assert.equal(e([['Access-Control-Allow-Origin', 'a b']]), 'MultipleAllowOriginValues:a b');
    assert.equal(
      e([['Access-Control-Allow-Origin', 'app.example.com']]),
      'InvalidAllowOriginValue:app.example.com',
    );
    assert.equal(e([['Access-Control-Allow-Origin', `${o}/`]]), `AllowOriginMismatch:${o}/`);
    assert.equal(e([['Access-Control-Allow-Origin', o]], 'include'), 'InvalidAllowCredentials:');
    assert.equal(
      e(
        [
          ['Access-Control-Allow-Origin', o],
          ['Access-Control-Allow-Credentials', 'true'],
        ],
        'include',
      ),
      'ok',
    );
    assert.equal(checkAccess([['Access-Control-Allow-Origin', 'null']], 'omit', 'null').ok, true);
  });
  test('Allow-Methods / Allow-Headers parsing and Max-Age', () => {
    assert.deepEqual(parseAllowList(' PUT ,, DELETE'), ['PUT', 'DELETE']);
    assert.equal(parseAllowList('PUT DELETE'), null);
    assert.deepEqual(parseAllowList(null), []);
    assert.equal(preflightMaxAge(null), 5);
    assert.equal(preflightMaxAge('-3'), 0);
    assert.equal(preflightMaxAge('86400'), 7200);
    assert.equal(preflightMaxAge('1.5'), 5);
  });
  test('readable headers: safelisted, exposed, `*` only without credentials, never Set-Cookie', () => {
    const h: [string, string][] = [
      ['Content-Type', 'a'],
      ['X-A', '1'],
      ['Set-Cookie', 'c'],
      ['Access-Control-Expose-Headers', '*'],
    ];
    assert.deepEqual(readableHeaders('cors', h, 'omit'), [
      'access-control-expose-headers',
      'content-type',
      'x-a',
    ]);
    assert.deepEqual(readableHeaders('cors', h, 'include'), ['content-type']);
    assert.deepEqual(readableHeaders('opaque', h, 'omit'), []);
    assert.deepEqual(readableHeaders('basic', h, 'include'), [
      'access-control-expose-headers',
      'content-type',
      'x-a',
    ]);
  });
  test('hint encoding escapes every non-printable or non-ASCII code unit', () => {
    assert.equal(encodeHint('a\u00e9\tb'), 'a\\u00E9\\u0009b');
    assert.equal(
      chromeMessage({
        error: 'PreflightInvalidStatus',
        failedParameter: '',
        initiator: 'fetch',
        url: 'https://b/x',
        initialUrl: 'https://a/',
        origin: PAGE,
      }),
      `Access to fetch at 'https://b/x' (redirected from 'https://a/') from origin '${PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.`,
    );
  });
});

describe('origins', () => {
  test('parses what users type and refuses what is not an origin', () => {
    assert.deepEqual(parseOrigin('https://app.example.com/'), { ok: true, origin: PAGE, opaque: false });
    assert.deepEqual(parseOrigin('HTTPS://App.Example.com:443'), { ok: true, origin: PAGE, opaque: false });
    assert.deepEqual(parseOrigin('null'), { ok: true, origin: 'null', opaque: true });
    for (const bad of [
      'app.example.com',
      'https://app.example.com/path',
      'ftp://x',
      '',
      'https://u:p@x.com',
    ]) {
      const r = parseOrigin(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.ok(r.problem.length > 10);
    }
  });
});

describe('simulate protocol', () => {
  test('yields preflight then actual, and stops at the failed preflight', () => {
    const gen = simulate(req({ method: 'PUT' }));
    const first = gen.next();
    assert.equal(first.done, false);
    assert.equal(first.value.purpose, 'preflight');
    assert.equal(getHeader(first.value.headers, 'Access-Control-Request-Method'), 'PUT');
    assert.equal(first.value.withCredentials, false);
    const end = gen.next(ok([], 404));
    assert.equal(end.done, true);
    if (end.done) {
      assert.equal(end.value.corsError, 'PreflightMissingAllowOriginHeader');
      assert.equal(end.value.preflight, true);
      assert.equal(end.value.exchanges.length, 1);
    }
  });
  test('the 21st redirect is refused; 20 are followed', () => {
    const chain = (limit: number) => (r: { url: string }) => {
      const i = Number(new URL(r.url).searchParams.get('i') ?? '0');
      return i < limit
        ? ok(
            [
              ['Access-Control-Allow-Origin', PAGE],
              ['Location', `${API}?i=${i + 1}`],
            ],
            302,
          )
        : ok([['Access-Control-Allow-Origin', PAGE]]);
    };
    assert.equal(runSimulation(req(), chain(20)).allowed, true);
    const v = runSimulation(req(), chain(21));
    assert.equal(v.allowed, false);
    assert.equal(v.netError, 'net::ERR_TOO_MANY_REDIRECTS');
    assert.equal(v.exchanges.length, 21);
  });
  test('a network error on the preflight is not a CORS error', () => {
    const v = runSimulation(req({ method: 'DELETE' }), () => ({
      kind: 'network-error',
      netError: 'net::ERR_CONNECTION_REFUSED',
    }));
    assert.equal(v.corsError, null);
    assert.equal(v.netError, 'net::ERR_CONNECTION_REFUSED');
    assert.equal(v.messages.chrome, null);
  });
  test('an opaque page origin sends Origin: null and matches Allow-Origin: null', () => {
    const v = runSimulation(req({ origin: 'null' }), (r) => {
      assert.equal(getHeader(r.headers, 'Origin'), 'null');
      return ok([['Access-Control-Allow-Origin', 'null']]);
    });
    assert.equal(v.allowed, true);
  });
  test('every verdict carries a trace that names the deciding step', () => {
    const v = runSimulation(req({ credentials: 'include' }), () =>
      ok([['Access-Control-Allow-Origin', '*']]),
    );
    const failed = v.trace.filter((t) => t.outcome === 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.step, 'actual.cors-check');
  });
});

describe('hostile input', () => {
  const headerArb = fc.tuple(
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('Access-Control-Allow-Origin', 'Location', 'Access-Control-Allow-Methods'),
    ),
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('*', 'null', PAGE, 'https://x', '', 'http://u:p@x/', 'ftp://x', '//x'),
    ),
  );
  const responseArb: fc.Arbitrary<WireResponse> = fc.oneof(
    fc.record({
      kind: fc.constant('response' as const),
      status: fc.integer({ min: 0, max: 999 }),
      headers: fc.array(headerArb, { maxLength: 8 }),
    }),
    fc.constant({ kind: 'network-error' as const, netError: 'net::ERR_CONNECTION_RESET' }),
  );
  test('simulate never throws and always ends with a consistent verdict, whatever the page and the server send', () => {
    fc.assert(
      fc.property(
        fc.record({
          url: fc.oneof(fc.string({ maxLength: 30 }), fc.webUrl(), fc.constant('ftp://x/y')),
          origin: fc.oneof(fc.constant(PAGE), fc.constant('null'), fc.string({ maxLength: 20 })),
          method: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('GET', 'PUT', 'patch', 'TRACE')),
          headers: fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 140 })), {
            maxLength: 6,
          }),
          credentials: fc.constantFrom('omit', 'same-origin', 'include'),
          mode: fc.constantFrom('cors', 'no-cors', 'same-origin'),
          initiator: fc.constantFrom('fetch', 'xhr'),
          redirect: fc.constantFrom('follow', 'error', 'manual'),
        }),
        fc.array(responseArb, { minLength: 1, maxLength: 30 }),
        (request, responses) => {
          let i = 0;
          const v = runSimulation(request as PageRequest, () => responses[i++ % responses.length]!);
          if (v.allowed) assert.equal(v.corsError, null);
          if (!v.allowed) assert.deepEqual(v.readableHeaders, []);
          if (v.corsError !== null) assert.equal(v.allowed, false);
          if (v.messages.chrome !== null) assert.ok((v.chromeLines ?? []).includes(v.messages.chrome));
          assert.ok(v.exchanges.length <= 42);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('header order (which refused header Chromium names)', () => {
  const observations = JSON.parse(
    readFileSync(new URL('../scenarios/header-order-observations.json', import.meta.url), 'utf8'),
  ) as {
    pageOrigin: string;
    orders: { names: string[]; order: string[] }[];
    refusals: { names: string[]; named: string }[];
  };
  test('CaseFoldingHash ignores case and spreads names', () => {
    assert.equal(caseFoldingHash('X-Alpha'), caseFoldingHash('x-alpha'));
    assert.notEqual(caseFoldingHash('x-alpha'), caseFoldingHash('x-beta'));
    assert.ok(caseFoldingHash('a') > 0 && caseFoldingHash('a') < 1 << 24);
  });
  test('reproduces the recorded header orders of Chromium 156 (at least 76 of 80)', () => {
    let exact = 0;
    for (const o of observations.orders) {
      const predicted = predictHeaderOrder(o.names, observations.pageOrigin);
      const observed = o.order.filter((n) => o.names.some((m) => m.toLowerCase() === n));
      if (predicted.join(',') === observed.join(',')) exact++;
    }
    assert.ok(exact >= 76, `${exact}/80 exact`);
  });
  test('names the header Chromium named in at least 137 of 140 recorded refusals', () => {
    let hits = 0;
    let sortedFirst = 0;
    for (const r of observations.refusals) {
      if (predictHeaderOrder(r.names, observations.pageOrigin)[0] === r.named) hits++;
      if ([...r.names].sort()[0] === r.named) sortedFirst++;
    }
    assert.ok(hits >= 137, `${hits}/140`);
    assert.ok(sortedFirst < hits / 2, `alphabetical-first would name only ${sortedFirst}/140`);
  });
});
