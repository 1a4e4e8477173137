/**
 * Varnish 7.1 (Debian), a real shared cache, in front of the node:http app whose responses are
 * cacheable (`Cache-Control: public, max-age=600`). Each case warms the cache first: a request from
 * the second allowed origin (ADMIN), then the page's request from APP. Without `Vary: Origin` the
 * page gets ADMIN's Access-Control-Allow-Origin from the cache (the evidence: `Age`, and `X-Varnish`
 * with two ids, the hit's and the stored object's). Labels follow DESIGN.md's diagnosis notes.
 *
 * Measured here: Varnish's built-in VCL does not cache requests that carry a Cookie or
 * Authorization, so a credentialed page request dodges the poisoned object; anonymous ones get it.
 */
import http from 'node:http';
import { ADMIN, APP, type RunningApp } from '../harness/apps/common.ts';
import { behind, startUpstream, type UpstreamOptions } from '../harness/stacks/proxy-upstream.ts';
import { startVarnish, varnishMissing } from '../harness/stacks/varnish.ts';
import type { CorpusCase, StackCorpus } from './case.ts';

const CACHE = 'public, max-age=600';

/**
 * One GET from `origin` (no credentials; no Origin at all when null, like a navigation or a
 * server-side fetch), so the object is in the cache before the page asks.
 */
function warm(base: string, origin: string | null, path = '/api/data'): Promise<void> {
  const headers = origin === null ? {} : { Origin: origin };
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('timeout', () => req.destroy(new Error(`warming ${base}${path} timed out`)));
    req.on('error', reject);
  });
}

const cached = (up: UpstreamOptions, vcl = '', warmFrom: string | null = ADMIN) => {
  const start = behind(
    () => startUpstream({ cacheControl: CACHE, ...up }),
    (u) => startVarnish(u, vcl),
  );
  return async (): Promise<RunningApp> => {
    const app = await start();
    try {
      await warm(app.base, warmFrom);
    } catch (e) {
      await app.close();
      throw e;
    }
    return app;
  };
};

const esc = (o: string) => o.replaceAll('.', '\\.');

const cases: CorpusCase[] = [
  {
    name: "varnish: app echoes the allowed Origin without Vary: the page gets ADMIN's Allow-Origin from the cache",
    start: cached({ cors: 'allow-list', vary: false }),
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'error' },
    allowed: false,
    source: 'https://github.com/nelmio/NelmioCorsBundle/issues/123',
  },
  {
    name: 'varnish: the same app with Vary: Origin (a separate object per origin)',
    start: cached({ cors: 'allow-list', vary: 'Origin' }),
    expect: [],
    correct: true,
    source: 'https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
  },
  {
    name: 'varnish: Vary: Accept-Encoding, Origin',
    start: cached({ cors: 'allow-list', vary: 'Accept-Encoding, Origin' }),
    expect: [],
    correct: true,
    source: 'https://github.com/expressjs/cors/issues/106',
  },
  {
    name: 'varnish: VCL unset beresp.http.Vary (for the hit rate) although the app sends Vary: Origin',
    start: cached(
      { cors: 'allow-list', vary: 'Origin' },
      'sub vcl_backend_response { unset beresp.http.Vary; }',
    ),
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'error' },
    allowed: false,
    source: 'https://github.com/GSA/api.data.gov/issues/397',
  },
  {
    name: 'varnish: VCL hashes on Origin, but the response still has no Vary: Origin (browser and CDN caches)',
    start: cached({ cors: 'allow-list', vary: false }, 'sub vcl_hash { hash_data(req.http.Origin); }'),
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'warning' },
    allowed: true,
    source: 'https://github.com/aspnet/CORS/pull/84',
  },
  {
    name: 'varnish: no Vary, the page sends its cookie (Varnish passes it, it works for now)',
    start: cached({ cors: 'allow-list', vary: false }),
    request: { credentials: 'include' },
    cookie: 'session=ok',
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'warning' },
    allowed: true,
    source: 'https://github.com/nelmio/NelmioCorsBundle/issues/123',
  },
  {
    name: 'varnish: Vary: Origin only when the origin is allowed; a request without Origin cached first',
    start: cached({ cors: 'allow-list', vary: 'when-allowed' }, '', null),
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'error' },
    allowed: false,
    source: 'https://github.com/expressjs/cors/issues/106',
  },
  {
    name: "varnish: Vary: Origin only when allowed; a refused origin's answer cached first",
    start: cached({ cors: 'allow-list', vary: 'when-allowed' }, '', 'https://attacker.test'),
    expect: ['missing-vary-origin'],
    severity: { 'missing-vary-origin': 'error' },
    allowed: false,
    source: 'https://github.com/expressjs/cors/issues/106',
  },
  {
    name: 'varnish: public API with * cached for everyone (no Vary needed)',
    start: cached({ cors: 'star' }),
    request: { credentials: 'omit' },
    expect: [],
    correct: true,
    source: 'https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches',
  },
  {
    name: 'varnish: CORS added per request in vcl_deliver from an allow-list, Vary: Origin set',
    start: cached(
      { cors: 'none' },
      `sub vcl_deliver {
  if (req.http.Origin ~ "^(${esc(APP)}|${esc(ADMIN)})$") {
    set resp.http.Access-Control-Allow-Origin = req.http.Origin;
    set resp.http.Access-Control-Allow-Credentials = "true";
    set resp.http.Access-Control-Expose-Headers = "X-Request-Id";
  }
  set resp.http.Vary = "Origin";
}`,
    ),
    expect: [],
    correct: true,
    source: 'https://varnish-cache.org/docs/7.1/users-guide/vcl-built-in-subs.html',
  },
];

export const corpus: StackCorpus = {
  stack: 'varnish',
  missing: varnishMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
