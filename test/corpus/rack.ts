/**
 * Rack + rack-cors 1.1.1 on WEBrick (Debian packages): the ways Rails/Rack apps get CORS wrong, from
 * rack-cors's issue tracker and README warnings, and correct setups. Labels are the expert's, not the tool's.
 */
import type { PageRequest } from '../../src/browser/types.ts';
import { rackServer, rubyMissing } from '../harness/stacks/ruby.ts';
import type { CorpusCase, StackCorpus } from './case.ts';

const JSON_PUT: Partial<PageRequest> = { method: 'PUT', headers: [['Content-Type', 'application/json']] };
const WITH_COOKIE = { request: { credentials: 'include' as const }, cookie: 'session=ok' };
const BEARER_PUT: Partial<PageRequest> = {
  method: 'PUT',
  headers: [
    ['Content-Type', 'application/json'],
    ['Authorization', 'Bearer t0k3n'],
  ],
  credentials: 'include',
};
const BEARER: Partial<PageRequest> = {
  headers: [['Authorization', 'Bearer t0k3n']],
  credentials: 'include',
};
const README = 'https://github.com/cyu/rack-cors/blob/v1.1.1/README.md';

export const corpus: StackCorpus = {
  stack: 'rails',
  missing: rubyMissing,
  cases: (
    [
      {
        name: 'rack-cors: correct, cookie GET',
        start: rackServer('correct'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: 'rack-cors: correct, JSON PUT with Authorization',
        start: rackServer('correct'),
        request: BEARER_PUT,
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: 'rack-cors: correct, a 404 that keeps its CORS headers',
        start: rackServer('correct'),
        path: '/api/nope',
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        allowed: true,
        source: README,
      },
      {
        name: 'rack-cors: an exception below Rack::Cors, 500 from Rack::ShowExceptions without headers',
        start: rackServer('correct', 'development'),
        path: '/api/crash',
        ...WITH_COOKIE,
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'error' },
        allowed: false,
        source: 'cyu/rack-cors#228',
      },
      {
        name: 'rack-cors: auth middleware above Rack::Cors (preflight gets 401)',
        start: rackServer('auth-first'),
        request: BEARER,
        expect: ['preflight-failed-status'],
        allowed: false,
        source: `${README}#common-gotchas`,
      },
      {
        name: 'rack-cors: auth middleware above Rack::Cors (cookie GET, 401 without headers)',
        start: rackServer('auth-first'),
        ...WITH_COOKIE,
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'warning' },
        allowed: true,
        source: `${README}#common-gotchas`,
      },
      {
        name: 'rack-cors: methods [:get, :post, :options], the page PUTs',
        start: rackServer('methods-short'),
        request: { ...JSON_PUT, credentials: 'include' },
        cookie: 'session=ok',
        expect: ['method-not-allowed'],
        allowed: false,
        source: `${README}#rails-configuration`,
      },
      {
        name: "rack-cors: origins 'https://app.myshop.test/' (trailing slash)",
        start: rackServer('trailing-slash'),
        ...WITH_COOKIE,
        expect: ['origin-mismatch'],
        allowed: false,
        source: 'discourse/discourse#10996',
      },
      {
        name: 'rack-cors: expose: missing, the page reads X-Request-Id',
        start: rackServer('expose-missing'),
        ...WITH_COOKIE,
        expose: ['X-Request-Id'],
        expect: ['header-not-exposed'],
        severity: { 'header-not-exposed': 'error' },
        source: `${README}#origin`,
      },
      {
        name: "rack-cors: inside map '/api', resource '/api/*' never matches",
        start: rackServer('mounted'),
        ...WITH_COOKIE,
        expect: ['missing-allow-origin'],
        allowed: false,
        // rack-cors matches `resource` against PATH_INFO (lib/rack/cors.rb, evaluate_path), which map strips.
        source: 'https://github.com/cyu/rack-cors/blob/v1.1.1/lib/rack/cors.rb',
      },
      {
        name: 'rack-cors: correct with debug: true (X-Rack-CORS header)',
        start: rackServer('debug'),
        request: BEARER_PUT,
        // debug mode adds X-Rack-CORS and (1.1.1: always) X-Rack-CORS-Original-* headers, none exposed:
        // debug output no page reads, like X-Varnish, so not worth even an info finding.
        expect: [],
        correct: true,
        source: `${README}#middleware-options`,
      },
      {
        name: "rack-cors: public API, origins '*' without credentials, anonymous GET",
        start: rackServer('public-api'),
        request: { credentials: 'omit' },
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: "rack-cors: public API, origins '*', anonymous JSON PUT",
        start: rackServer('public-api'),
        request: { ...JSON_PUT, credentials: 'omit' },
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: 'rack-cors: origins { true } with credentials (the workaround for the wildcard error)',
        start: rackServer('proc-any'),
        ...WITH_COOKIE,
        expect: ['origin-reflected'],
        severity: { 'origin-reflected': 'security' },
        source: 'cyu/rack-cors#109',
      },
      {
        name: "rack-cors: origins 'app.myshop.test' without scheme admits http://",
        start: rackServer('bare-host'),
        ...WITH_COOKIE,
        expect: ['insecure-origin-allowed'],
        severity: { 'insecure-origin-allowed': 'security' },
        source: `${README}#rack-configuration`,
      },
      {
        name: "rack-cors: the README's localhost:3000 left in the production origins",
        start: rackServer('localhost'),
        ...WITH_COOKIE,
        expect: ['localhost-allowed'],
        severity: { 'localhost-allowed': 'security' },
        source: `${README}#rack-configuration`,
      },
      {
        name: 'rack-cors: correct, Rack::Deflater inside (Vary: Accept-Encoding, Origin)',
        start: rackServer('deflater'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: 'cyu/rack-cors#71',
      },
      {
        name: 'rack-cors: unanchored regexp %r{https://(.+)\\.myshop\\.test}',
        start: rackServer('unanchored-regex'),
        ...WITH_COOKIE,
        expect: ['origin-pattern-bypass', 'subdomain-trusted'],
        severity: { 'origin-pattern-bypass': 'security' },
        source: `${README}#origin`,
      },
    ] satisfies CorpusCase[]
  ).map((c) => ({ ...c, round: 1 as const })),
};
