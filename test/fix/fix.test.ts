/**
 * The fix layer without servers: the case built from a diagnosis, stack names and aliases, stack guessing
 * from real servers' header lines, and what every generator must hold for the case (its exact origin,
 * methods, headers, exposed headers; no example origin left over; no dangerous pattern).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckInput, Finding } from '../../src/diagnosis/types.ts';
import {
  allFixes,
  chooseFix,
  fixCase,
  guessStacks,
  resolveStack,
  STACK_INFO,
  STACK_NAMES,
} from '../../src/fix/index.ts';

const input: CheckInput = {
  request: {
    url: 'https://api.shop.test/v2/cart',
    origin: 'https://www.shop.test',
    method: 'PATCH',
    headers: [
      ['X-Api-Key', 'k'],
      ['Content-Type', 'application/json'],
      ['Accept', 'application/json'],
      ['Access-Control-Allow-Origin', '*'],
    ],
    credentials: 'include',
    mode: 'cors',
  },
  expose: ['X-Cart-Version'],
};
const finding = (id: Finding['id'], detail = ''): Finding => ({
  id,
  mistake: null,
  severity: 'error',
  title: id,
  detail,
  evidence: [],
  fix: { summary: '', snippets: {} },
});

describe('fixCase', () => {
  it('takes the exact origin, the method, the non-safelisted headers and what to expose', () => {
    const c = fixCase(input, [finding('headers-missing-on-errors'), finding('cors-headers-in-request')]);
    assert.equal(c.origin, 'https://www.shop.test');
    assert.deepEqual(c.methods, ['GET', 'HEAD', 'POST', 'PATCH']);
    // Accept is safelisted; Access-Control-* in a request is the front end's mistake, not a header to allow.
    assert.deepEqual(c.requestHeaders, ['x-api-key', 'content-type']);
    assert.deepEqual(c.expose, ['X-Cart-Version']);
    assert.equal(c.credentials, true);
    assert.equal(c.site, 'https://api.shop.test');
    assert.ok(c.changes.includes('first-and-always'));
    assert.deepEqual(c.frontEnd, ['remove-request-cors-headers']);
  });

  it('adds headers a header-not-exposed finding names, and the near-miss of origin-mismatch', () => {
    const c = fixCase({ ...input, expose: [] }, [
      finding('header-not-exposed', 'The script reads X-Request-ID, which is not exposed.'),
      finding('origin-mismatch', 'The server accepts https://www.shop.tset instead.'),
    ]);
    assert.deepEqual(c.expose, ['X-Request-ID']);
    assert.equal(c.nearMiss, 'https://www.shop.tset');
  });
});

describe('stack names', () => {
  it('accepts the names and the common aliases, in any case', () => {
    assert.equal(resolveStack('Django-Cors-Headers'), 'django');
    assert.equal(resolveStack('rack'), 'rails');
    assert.equal(resolveStack('gin'), 'go');
    assert.equal(resolveStack('next'), 'nextjs');
    assert.equal(resolveStack('nest'), 'nestjs');
    assert.equal(resolveStack('httpd'), 'apache');
    assert.equal(resolveStack('workers'), 'cloudflare');
    assert.equal(resolveStack(' express '), 'express');
    assert.equal(resolveStack('cobol'), undefined);
  });

  it('covers the stacks issue 11 lists', () => {
    for (const s of 'express fastify koa hono nestjs nextjs node cors-doctor flask django fastapi rails php laravel spring aspnet go go-http nginx apache caddy haproxy traefik s3 cloudfront cloudflare'.split(
      ' ',
    ))
      assert.ok((STACK_NAMES as readonly string[]).includes(s), s);
  });
});

describe('guessStacks', () => {
  // Header lines as these servers really send them (Debian 12 packages, npm majors; Set-Cookie names
  // from each framework's defaults).
  const cases: [string, [string, string][]][] = [
    ['flask', [['Server', 'Werkzeug/2.2.2 Python/3.11.2']]],
    ['django', [['Server', 'WSGIServer/0.2 CPython/3.11.2']]],
    ['django', [['Set-Cookie', 'csrftoken=abc; expires=…; Path=/']]],
    [
      'laravel',
      [
        ['X-Powered-By', 'PHP/8.2.7'],
        ['Set-Cookie', 'laravel_session=eyJ; path=/; httponly'],
      ],
    ],
    ['php', [['X-Powered-By', 'PHP/8.2.7']]],
    ['spring', [['Set-Cookie', 'JSESSIONID=9F2; Path=/; HttpOnly']]],
    ['rails', [['Server', 'WEBrick/1.8.1 (Ruby/3.1.2/2022-04-12)']]],
    ['rails', [['Set-Cookie', '_shop_session=abc; path=/']]],
    ['express', [['X-Powered-By', 'Express']]],
    ['nextjs', [['X-Powered-By', 'Next.js']]],
    ['aspnet', [['Server', 'Kestrel']]],
    [
      'cloudfront',
      [
        ['Via', '1.1 2b1c.cloudfront.net (CloudFront)'],
        ['X-Amz-Cf-Id', 'x'],
      ],
    ],
    ['caddy', [['Server', 'Caddy']]],
  ];
  for (const [want, headers] of cases)
    it(`${want} from ${headers.map((h) => h[0]).join(', ')}`, () => {
      assert.equal(guessStacks([headers])[0]?.stack, want);
    });

  it('puts the framework before the proxy in front of it', () => {
    const g = guessStacks([
      [
        ['Server', 'nginx/1.22.1'],
        ['X-Powered-By', 'Express'],
      ],
    ]);
    assert.deepEqual(
      g.map((x) => x.stack),
      ['express', 'nginx'],
    );
    assert.equal(g[0]!.evidence, 'X-Powered-By: Express');
  });

  it('guesses nothing from a bare node:http answer', () => {
    assert.deepEqual(guessStacks([[['Content-Type', 'application/json']]]), []);
  });
});

describe('chooseFix', () => {
  it('uses --stack; otherwise the guess, marked inferred; none without a finding to fix', () => {
    const f = [finding('missing-allow-origin')];
    assert.equal(chooseFix(input, f, [], 'flask')?.inferred, false);
    const guessed = chooseFix(input, f, [[['Server', 'Werkzeug/2.2.2']]]);
    assert.equal(guessed?.stack, 'flask');
    assert.equal(guessed?.inferred, true);
    assert.equal(guessed?.inferredFrom, 'Server: Werkzeug/2.2.2');
    assert.equal(chooseFix(input, [], [], 'flask'), null);
    assert.equal(chooseFix(input, [finding('network-error')], [], 'flask'), null);
    // The page's CSP or its own Access-Control-* request headers: not the API's configuration.
    assert.equal(chooseFix(input, [finding('csp-blocks-request')], [], 'flask'), null);
    const both = chooseFix(
      input,
      [finding('cors-headers-in-request'), finding('missing-allow-origin')],
      [],
      'flask',
    );
    assert.ok(both?.notes.some((n) => /Front end: remove the Access-Control-\*/.test(n)));
  });
});

describe('every generator', () => {
  const c = fixCase(input, [finding('missing-allow-origin'), finding('duplicate-cors-headers')]);
  for (const fix of allFixes(c))
    it(`${fix.stack}: holds this case, nothing else`, () => {
      // Apache matches the origin with an anchored regular expression.
      assert.ok(
        fix.code.includes('https://www.shop.test') || fix.code.includes('^https://www\\.shop\\.test$'),
        'the exact origin',
      );
      assert.doesNotMatch(
        fix.code,
        /example\.com|myapp|\bauthenticate\b|apiRouter/,
        'no example name left over',
      );
      if (fix.stack === 's3')
        assert.ok(
          fix.notes.some((n) => /S3 accepts only/.test(n)),
          'S3 has no PATCH: said so',
        );
      else assert.match(fix.code, /PATCH/i, "the page's method");
      assert.match(fix.code, /x-api-key/i, 'the custom request header');
      assert.match(fix.code, /X-Cart-Version/i, 'the header the script reads');
      assert.doesNotMatch(
        fix.code,
        /origin:\s*(true|'\*')|Allow-Origin[" ]+\*|AllowAnyOrigin|allow_origins=\['\*'\]/,
      );
      assert.ok(fix.where.length > 20);
      assert.equal(fix.runnable, STACK_INFO[fix.stack].runnable);
      assert.ok(
        fix.notes.some((n) => /Two layers/.test(n)),
        'the one-layer note of mistake 5',
      );
    });
});
