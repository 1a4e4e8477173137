/**
 * The rules over scripted exchanges (real browser model, scripted server): each case is one way a
 * server can be wrong, and the exact set of finding ids it must produce.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cspBlocks } from '../../src/diagnosis/csp.ts';
import { probesFor } from '../../src/diagnosis/index.ts';
import { ids, request, run, type Script } from './scripted.ts';

const APP = 'https://app.example.com';

/** A correct allow-list server: exact origins, credentials, preflight handled everywhere, Vary. */
function allowList(
  list: string[],
  opts: { credentials?: boolean; vary?: boolean; errorsToo?: boolean; expose?: string } = {},
): Script {
  return (r) => {
    const ok = r.origin !== undefined && list.includes(r.origin);
    const h: [string, string][] = [];
    if (ok) h.push(['Access-Control-Allow-Origin', r.origin!]);
    if (ok && opts.credentials) h.push(['Access-Control-Allow-Credentials', 'true']);
    if (opts.vary !== false) h.push(['Vary', 'Origin']);
    if (r.method === 'OPTIONS') {
      h.push(
        ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE'],
        ['Access-Control-Allow-Headers', 'content-type, authorization'],
      );
      return { status: 204, headers: h };
    }
    if (opts.expose) h.push(['Access-Control-Expose-Headers', opts.expose]);
    if (r.path !== '/data') return { status: 404, headers: opts.errorsToo === false ? [] : h };
    return { status: 200, headers: [...h, ['Content-Type', 'application/json'], ['X-Request-Id', 'abc']] };
  };
}

describe('diagnosis rules over scripted exchanges', () => {
  test('a correct allow-list gives only the info about an unexposed custom header', () => {
    assert.deepEqual(ids(run(allowList([APP]), request())), ['header-not-exposed']);
    const f = run(
      allowList([APP], { expose: 'X-Request-Id' }),
      request({ method: 'PUT', headers: [['Content-Type', 'application/json']] }),
    );
    assert.deepEqual(ids(f), []);
  });

  test('no CORS at all → missing-allow-origin', () => {
    const f = run(() => ({ status: 200 }), request());
    assert.deepEqual(ids(f), ['missing-allow-origin']);
    assert.equal(f[0]!.mistake, 1);
    assert.equal(f[0]!.severity, 'error');
  });

  test('other origins allowed, not this one → origin-not-allowed', () => {
    assert.deepEqual(ids(run(allowList(['https://admin.example.com']), request())), ['origin-not-allowed']);
  });

  test('the allow-list holds www. → origin-mismatch naming the variant', () => {
    const f = run(allowList(['https://www.app.example.com']), request());
    assert.deepEqual(ids(f), ['origin-mismatch']);
    assert.match(f[0]!.detail, /https:\/\/www\.app\.example\.com/);
  });

  test('trailing slash in a fixed Access-Control-Allow-Origin → origin-mismatch without probes', () => {
    const f = run(() => ({ status: 200, headers: [['Access-Control-Allow-Origin', `${APP}/`]] }), request());
    assert.deepEqual(ids(f), ['origin-mismatch']);
    assert.match(f[0]!.detail, /trailing slash/);
  });

  test('* with credentials → wildcard-with-credentials', () => {
    const f = run(
      () => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] }),
      request({ credentials: 'include' }),
    );
    assert.deepEqual(ids(f), ['wildcard-with-credentials']);
  });

  test('credentials without Allow-Credentials → credentials-not-allowed', () => {
    const f = run(allowList([APP]), request({ credentials: 'include' }));
    assert.deepEqual(ids(f), ['credentials-not-allowed']);
  });

  test('OPTIONS answered 404 without CORS → preflight-failed-status', () => {
    const script: Script = (r) =>
      r.method === 'OPTIONS'
        ? { status: 404 }
        : { status: 200, headers: [['Access-Control-Allow-Origin', r.origin ?? '']] };
    const f = run(script, request({ method: 'PUT' }));
    assert.ok(ids(f).includes('preflight-failed-status'), ids(f).join());
  });

  test('method not listed → method-not-allowed; header not listed → header-not-allowed', () => {
    assert.deepEqual(ids(run(allowList([APP]), request({ method: 'PATCH' }))), ['method-not-allowed']);
    assert.deepEqual(ids(run(allowList([APP]), request({ headers: [['X-Trace', '1']] }))), [
      'header-not-allowed',
    ]);
  });

  test('two Access-Control-Allow-Origin lines → duplicate-cors-headers naming the layers', () => {
    const script: Script = (r) => ({
      status: 200,
      headers: [
        ['Server', 'nginx/1.22.1'],
        ['Access-Control-Allow-Origin', r.origin ?? ''],
        ['access-control-allow-origin', r.origin ?? ''],
        ['Vary', 'Origin'],
        ['X-Powered-By', 'Express'],
      ],
    });
    const f = run(script, request());
    assert.ok(ids(f).includes('duplicate-cors-headers'));
    const d = f.find((x) => x.id === 'duplicate-cors-headers')!;
    assert.match(d.detail, /nginx/);
    assert.match(d.detail, /Express/);
  });

  test('errors without CORS headers → headers-missing-on-errors (warning)', () => {
    const f = run(allowList([APP], { errorsToo: false }), request());
    assert.deepEqual(ids(f), ['header-not-exposed', 'headers-missing-on-errors']);
    assert.equal(f.find((x) => x.id === 'headers-missing-on-errors')!.severity, 'warning');
  });

  test('reflection without Vary → missing-vary-origin and origin-reflected', () => {
    const script: Script = (r) => ({
      status: 200,
      headers: r.origin ? [['Access-Control-Allow-Origin', r.origin]] : [],
    });
    const f = run(script, request());
    assert.deepEqual(ids(f), ['missing-vary-origin', 'origin-reflected']);
    assert.equal(f.find((x) => x.id === 'origin-reflected')!.severity, 'info');
  });

  test('reflection with credentials → origin-reflected is security', () => {
    const script: Script = (r) => ({
      status: 200,
      headers: r.origin
        ? [
            ['Access-Control-Allow-Origin', r.origin],
            ['Access-Control-Allow-Credentials', 'true'],
            ['Vary', 'Origin'],
          ]
        : [],
    });
    const f = run(script, request({ credentials: 'include' }));
    assert.deepEqual(ids(f), ['origin-reflected']);
    assert.equal(f[0]!.severity, 'security');
  });

  test('localhost in a production list; null; suffix pattern; http; subdomain', () => {
    const f = run(
      allowList([APP, 'http://localhost:3000'], { credentials: true, expose: 'X-Request-Id' }),
      request({ credentials: 'include' }),
    );
    assert.deepEqual(ids(f), ['localhost-allowed']);
    assert.equal(f[0]!.severity, 'security');
    assert.deepEqual(
      ids(run(allowList([APP, 'null']), request())).filter((i) => i !== 'header-not-exposed'),
      ['null-origin-allowed'],
    );
    const suffix: Script = (r) => ({
      status: 200,
      headers: r.origin?.endsWith('example.com')
        ? [
            ['Access-Control-Allow-Origin', r.origin],
            ['Vary', 'Origin'],
          ]
        : [['Vary', 'Origin']],
    });
    assert.deepEqual(ids(run(suffix, request())), [
      'insecure-origin-allowed',
      'origin-pattern-bypass',
      'subdomain-trusted',
    ]);
    assert.deepEqual(
      ids(run(allowList([APP, 'http://app.example.com']), request())).filter(
        (i) => i !== 'header-not-exposed',
      ),
      ['insecure-origin-allowed'],
    );
  });

  test('the development origin under test itself is no localhost finding', () => {
    const f = run(
      allowList(['http://localhost:5173', 'http://localhost:3000']),
      request({ origin: 'http://localhost:5173' }),
    );
    assert.deepEqual(
      ids(f).filter((i) => i !== 'header-not-exposed'),
      [],
    );
  });

  test('--expose names a header the script cannot read → header-not-exposed error', () => {
    const f = run(allowList([APP]), request(), { expose: ['X-Request-Id'] });
    assert.deepEqual(ids(f), ['header-not-exposed']);
    assert.equal(f[0]!.severity, 'error');
  });

  test('Access-Control-* request headers → cors-headers-in-request (error when they caused the failing preflight)', () => {
    const f = run(allowList([APP]), request({ headers: [['Access-Control-Allow-Origin', '*']] }));
    assert.deepEqual(ids(f), ['cors-headers-in-request']);
    assert.equal(f[0]!.severity, 'error');
  });

  test('public CORS proxy in the URL → cors-proxy-in-use', () => {
    const script: Script = () => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] });
    const f = run(
      script,
      request({ url: 'https://cors-anywhere.herokuapp.com/https://api.example.com/data' }),
    );
    assert.deepEqual(ids(f), ['cors-proxy-in-use']);
  });

  test('network error → network-error only', () => {
    const f = run(() => ({ kind: 'network-error', netError: 'net::ERR_CONNECTION_REFUSED' }), request());
    assert.deepEqual(ids(f), ['network-error']);
  });

  test('https page, http API → mixed-content; no-cors → opaque-response', () => {
    const f = run(allowList([APP]), request({ url: 'http://api.example.com/data' }));
    assert.ok(ids(f).includes('mixed-content'));
    const g = run(() => ({ status: 200 }), request({ mode: 'no-cors' }));
    assert.ok(ids(g).includes('opaque-response'), ids(g).join());
  });

  test('CSP connect-src without the API → csp-blocks-request with Chrome’s line', () => {
    const page = { url: `${APP}/`, headerPolicies: ["default-src 'self'"], metaPolicies: [] };
    const f = run(allowList([APP], { expose: 'X-Request-Id' }), request(), { page });
    assert.deepEqual(ids(f), ['csp-blocks-request']);
    assert.match(
      f[0]!.detail,
      /Refused to connect to 'https:\/\/api\.example\.com\/data' because it violates the following Content Security Policy directive: "default-src 'self'"\. Note that 'connect-src' was not explicitly set/,
    );
    const ok = {
      url: `${APP}/`,
      headerPolicies: ["default-src 'self'; connect-src 'self' https://api.example.com"],
      metaPolicies: [],
    };
    assert.deepEqual(ids(run(allowList([APP], { expose: 'X-Request-Id' }), request(), { page: ok })), []);
  });

  test('CSP source matching (CSP3 §6.7.2)', () => {
    const blocks = (policy: string, url: string) =>
      cspBlocks({ header: [policy], meta: [] }, 'https://app.example.com/', url) !== undefined;
    assert.equal(blocks("connect-src 'self'", 'https://app.example.com/x'), false);
    assert.equal(blocks("connect-src 'self'", 'https://api.example.com/x'), true);
    assert.equal(blocks('connect-src *.example.com', 'https://api.example.com/x'), false);
    assert.equal(blocks('connect-src *.example.com', 'https://example.com/x'), true);
    assert.equal(blocks('connect-src https:', 'https://x.test/'), false);
    assert.equal(blocks("connect-src 'none'", 'https://app.example.com/x'), true);
    assert.equal(blocks('connect-src https://api.example.com/v1/', 'https://api.example.com/v1/data'), false);
    assert.equal(blocks('connect-src https://api.example.com/v1/', 'https://api.example.com/v2/data'), true);
    assert.equal(blocks('connect-src https://api.example.com:8443', 'https://api.example.com/x'), true);
    assert.equal(blocks("script-src 'self'", 'https://api.example.com/x'), false);
  });

  test('probe hostnames: only the Origin changes, except the path probes on the same host', () => {
    const onOtherUrl = ['error-missing-path', 'slash-variant', 'cache-bust', 'root-path'];
    for (const method of ['PUT', 'GET']) {
      const req = request({ method, headers: [['Authorization', 'Bearer x']], credentials: 'include' });
      for (const p of probesFor({ request: req, expose: [] })) {
        assert.equal(new URL(p.request.url).host, 'api.example.com', p.name);
        if (!onOtherUrl.includes(p.name)) assert.equal(p.request.url, req.url, p.name);
      }
    }
  });
});

describe('diagnosis rules: edge cases', () => {
  const reflect: Script = (r) => ({
    status: r.method === 'OPTIONS' ? 204 : 200,
    headers:
      r.origin === APP
        ? [
            ['Access-Control-Allow-Origin', APP],
            ['Vary', 'Origin'],
          ]
        : [['Vary', 'Origin']],
  });

  test('preflight with CORS headers but 405 → preflight-failed-status naming the router', () => {
    const script: Script = (r) =>
      r.method === 'OPTIONS'
        ? {
            status: 405,
            headers: [
              ['Access-Control-Allow-Origin', APP],
              ['Access-Control-Allow-Methods', 'PUT'],
            ],
          }
        : { status: 200, headers: [['Access-Control-Allow-Origin', APP]] };
    const f = run(script, request({ method: 'PUT' }));
    assert.deepEqual(ids(f), ['preflight-failed-status']);
    assert.match(f[0]!.detail, /405/);
  });

  test('Allow-Origin without a scheme → origin-mismatch (invalid value)', () => {
    const f = run(
      () => ({ status: 200, headers: [['Access-Control-Allow-Origin', 'app.example.com']] }),
      request(),
    );
    assert.deepEqual(ids(f), ['origin-mismatch']);
    assert.match(f[0]!.detail, /no scheme/);
  });

  test('Allow-Headers * covering Authorization: allowed by Chromium, a warning for the others', () => {
    const script: Script = (r) => ({
      status: r.method === 'OPTIONS' ? 204 : 200,
      headers: [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Headers', '*'],
      ],
    });
    const f = run(script, request({ headers: [['Authorization', 'Bearer x']] }));
    assert.deepEqual(ids(f), ['header-not-allowed']);
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.detail, /'\*' never covers Authorization/);
  });

  test('Allow-Methods * with credentials → wildcard-with-credentials, not method-not-allowed', () => {
    const script: Script = (r) => ({
      status: r.method === 'OPTIONS' ? 204 : 200,
      headers:
        r.origin === APP
          ? [
              ['Access-Control-Allow-Origin', APP],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Allow-Methods', '*'],
              ['Vary', 'Origin'],
            ]
          : [['Vary', 'Origin']],
    });
    assert.deepEqual(ids(run(script, request({ method: 'DELETE', credentials: 'include' }))), [
      'wildcard-with-credentials',
    ]);
  });

  test('Expose-Headers * with credentials and --expose → wildcard-with-credentials', () => {
    const script: Script = (r) => ({
      status: 200,
      headers:
        r.origin === APP
          ? [
              ['Access-Control-Allow-Origin', APP],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Expose-Headers', '*'],
              ['Vary', 'Origin'],
              ['X-Total', '3'],
            ]
          : [['Vary', 'Origin']],
    });
    const f = run(script, request({ credentials: 'include' }), { expose: ['X-Total'] });
    assert.deepEqual(ids(f), ['wildcard-with-credentials']);
  });

  test('doubled Allow-Credentials true, true → duplicate-cors-headers, not credentials-not-allowed', () => {
    const script: Script = (r) => ({
      status: 200,
      headers:
        r.origin === APP
          ? [
              ['Access-Control-Allow-Origin', APP],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Vary', 'Origin'],
            ]
          : [['Vary', 'Origin']],
    });
    const f = run(script, request({ credentials: 'include' }));
    assert.deepEqual(ids(f), ['duplicate-cors-headers']);
    assert.equal(f[0]!.severity, 'error');
  });

  test('the actual request fails with a 500 after a good preflight → headers-missing-on-errors (error)', () => {
    const script: Script = (r) =>
      r.method === 'OPTIONS'
        ? {
            status: 204,
            headers: [
              ['Access-Control-Allow-Origin', APP],
              ['Access-Control-Allow-Methods', 'PUT'],
              ['Vary', 'Origin'],
            ],
          }
        : { status: 500 };
    const f = run(script, request({ method: 'PUT' }));
    assert.deepEqual(ids(f), ['headers-missing-on-errors']);
    assert.equal(f[0]!.severity, 'error');
  });

  test('a network error on the preflight → network-error naming the preflight', () => {
    const script: Script = (r) =>
      r.method === 'OPTIONS'
        ? { kind: 'network-error', netError: 'net::ERR_CONNECTION_RESET' }
        : { status: 200 };
    const f = run(script, request({ method: 'PUT' }));
    assert.deepEqual(ids(f), ['network-error']);
    assert.match(f[0]!.detail, /preflight/);
  });

  test('https page to a private IP over https → local-network-access (warning); to loopback → nothing', () => {
    const f = run(reflect, request({ url: 'https://192.168.1.20/data' }));
    assert.deepEqual(ids(f), ['local-network-access']);
    assert.equal(f[0]!.severity, 'warning');
    assert.deepEqual(ids(run(reflect, request({ url: 'http://127.0.0.1:8080/data' }))), []);
  });

  test('mixed content is not reported for a loopback API (potentially trustworthy)', () => {
    assert.deepEqual(ids(run(reflect, request({ url: 'http://localhost:8080/data' }))), []);
  });

  test('a fixed Allow-Origin for another site → origin-not-allowed; allow-list accepts no near miss', () => {
    const f = run(
      () => ({ status: 200, headers: [['Access-Control-Allow-Origin', 'https://admin.example.com']] }),
      request(),
    );
    assert.deepEqual(ids(f), ['origin-not-allowed']);
    assert.match(f[0]!.fix.summary, /https:\/\/app\.example\.com/);
  });

  test('findings are ordered most blocking first and carry the catalog’s words', () => {
    const script: Script = (r) => ({
      status: 200,
      headers: r.origin
        ? [
            ['Access-Control-Allow-Origin', r.origin],
            ['Access-Control-Allow-Credentials', 'true'],
          ]
        : [],
    });
    const f = run(
      script,
      request({
        url: 'https://cors-anywhere.herokuapp.com/https://api.example.com/data',
        credentials: 'include',
      }),
    );
    assert.deepEqual(
      f.map((x) => x.severity),
      [...f.map((x) => x.severity)].sort(
        (a, b) =>
          ['error', 'security', 'warning', 'info'].indexOf(a) -
          ['error', 'security', 'warning', 'info'].indexOf(b),
      ),
    );
    assert.deepEqual(ids(f), ['cors-proxy-in-use', 'missing-vary-origin', 'origin-reflected']);
    assert.equal(f[0]!.id, 'origin-reflected');
    for (const x of f) assert.ok(x.title && x.fix.summary, x.id);
    assert.equal(f.find((x) => x.id === 'cors-proxy-in-use')!.mistake, 11);
  });
});

test('a redirect without CORS headers on the actual request → missing-allow-origin naming the redirect', () => {
  const script: Script = (r) =>
    r.path === '/data'
      ? { status: 308, headers: [['Location', 'https://api.example.com/v2/data']] }
      : { status: 200, headers: [['Access-Control-Allow-Origin', '*']] };
  const f = run(script, request());
  assert.deepEqual(ids(f), ['missing-allow-origin']);
  assert.match(f[0]!.detail, /308 redirect to https:\/\/api\.example\.com\/v2\/data/);
});

test('a trailing-slash redirect sent in front of the CORS layer → headers-missing-on-errors (the order of layers)', () => {
  const script: Script = (r) =>
    r.path === '/data'
      ? { status: 308, headers: [['Location', 'https://api.example.com/data/']] }
      : { status: 200, headers: [['Access-Control-Allow-Origin', '*']] };
  const f = run(script, request());
  assert.deepEqual(ids(f), ['headers-missing-on-errors']);
  assert.match(
    f[0]!.detail,
    /308 redirect to https:\/\/api\.example\.com\/data\/.*in front of the CORS layer/,
  );
  assert.deepEqual(f[0]!.probes, ['slash-variant']);
});

test('checked from localhost, a dev server reflecting everything with credentials is a warning, not security', () => {
  const script: Script = (r) => ({
    status: 200,
    headers: r.origin
      ? [
          ['Access-Control-Allow-Origin', r.origin],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Vary', 'Origin'],
        ]
      : [],
  });
  const f = run(
    script,
    request({ origin: 'http://localhost:5173', url: 'http://localhost:8080/data', credentials: 'include' }),
  );
  assert.deepEqual(ids(f), ['origin-reflected']);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.detail, /development origin/);
});

test('a cross-origin redirect taints the origin: Allow-Origin naming the page no longer matches', () => {
  const script: Script = (r) =>
    r.path === '/data'
      ? {
          status: 302,
          headers: [
            ['Location', 'https://cdn.example.net/data'],
            ['Access-Control-Allow-Origin', APP],
          ],
        }
      : { status: 200, headers: [['Access-Control-Allow-Origin', APP]] };
  const f = run(script, request());
  assert.deepEqual(ids(f), ['origin-not-allowed']);
  assert.match(f[0]!.detail, /Origin: null/);
});

test('the cache-busting probe keeps the page query as written and adds its own parameter', () => {
  const url = 'https://api.example.com/search?q=a%20b&tags=x+y&empty=';
  const probe = probesFor({ request: request({ url }), expose: [] }).find((p) => p.name === 'cache-bust');
  assert.ok(probe, 'a cache-bust probe');
  assert.match(
    probe.request.url,
    /^https:\/\/api\.example\.com\/search\?q=a%20b&tags=x\+y&empty=&cors-doctor-nocache=[0-9a-z]+$/,
  );
  const bare = probesFor({ request: request(), expose: [] }).find((p) => p.name === 'cache-bust');
  assert.match(bare!.request.url, /^https:\/\/api\.example\.com\/data\?cors-doctor-nocache=[0-9a-z]+$/);
});
