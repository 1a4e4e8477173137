/**
 * Go net/http (Debian's Go 1.19) with github.com/rs/cors 1.7: the ways Go APIs get CORS wrong, from
 * rs/cors's issue tracker and the net/http handler model, and correct setups. Labels are the expert's.
 */
import type { PageRequest } from '../../src/browser/types.ts';
import { goMissing, goServer } from '../harness/stacks/go.ts';
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
const BEARER: Partial<PageRequest> = { headers: [['Authorization', 'Bearer t0k3n']], credentials: 'include' };
const README = 'https://github.com/rs/cors/blob/v1.7.0/README.md';

export const corpus: StackCorpus = {
  stack: 'go',
  missing: goMissing,
  cases: (
    [
      {
        name: 'go rs/cors: correct, cookie GET',
        start: goServer('correct'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: 'go rs/cors: correct, JSON PUT with Authorization',
        start: goServer('correct'),
        request: BEARER_PUT,
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: 'go rs/cors: correct, the mux 404 keeps the CORS headers',
        start: goServer('correct'),
        path: '/api/nope',
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        allowed: true,
        source: 'rs/cors#10',
      },
      {
        name: 'go rs/cors: correct with Debug: true',
        start: goServer('debug'),
        request: BEARER_PUT,
        expect: [],
        correct: true,
        source: README,
      },
      {
        name: "go rs/cors: AllowedOrigins 'https://App.MyShop.test' (rs/cors lower-cases both sides)",
        start: goServer('origin-case'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: 'https://github.com/rs/cors/blob/v1.7.0/cors.go',
      },
      {
        name: 'go rs/cors: cors.Default() on a public API, anonymous GET',
        start: goServer('default'),
        request: { credentials: 'omit' },
        expect: ['header-not-exposed'],
        severity: { 'header-not-exposed': 'info' },
        correct: true,
        source: README,
      },
      {
        name: 'go rs/cors: cors.Default() and the page sends cookies',
        start: goServer('default'),
        ...WITH_COOKIE,
        expect: ['wildcard-with-credentials'],
        allowed: false,
        source: README,
      },
      {
        name: "go rs/cors: AllowedOrigins ['*'] with AllowCredentials: true",
        start: goServer('wildcard-credentials'),
        ...WITH_COOKIE,
        expect: ['wildcard-with-credentials'],
        allowed: false,
        source: 'rs/cors#216',
      },
      {
        name: 'go rs/cors: trailing slash in AllowedOrigins',
        start: goServer('trailing-slash'),
        ...WITH_COOKIE,
        expect: ['origin-mismatch'],
        allowed: false,
        source: 'reearth/reearth-cms#1940',
      },
      {
        name: 'go rs/cors: AllowedHeaders without Authorization',
        start: goServer('headers-short'),
        request: BEARER,
        expect: ['header-not-allowed'],
        allowed: false,
        source: 'ermiry/cerver#345',
      },
      {
        name: 'go rs/cors: AllowedMethods left at its default (GET, POST, HEAD), the page PUTs',
        start: goServer('methods-default'),
        request: { ...JSON_PUT, credentials: 'include' },
        cookie: 'session=ok',
        expect: ['method-not-allowed'],
        allowed: false,
        source: 'fnproject/fn#1001',
      },
      {
        name: 'go: method check in front of cors.Handler answers OPTIONS 405',
        start: goServer('method-guard'),
        request: JSON_PUT,
        expect: ['preflight-failed-status'],
        allowed: false,
        source: 'https://github.com/rs/cors/blob/v1.7.0/cors.go',
      },
      {
        name: 'go: cors.Handler on one route, the mux 404s without headers',
        start: goServer('method-guard'),
        ...WITH_COOKIE,
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'warning' },
        source: 'https://github.com/rs/cors/blob/v1.7.0/cors.go',
      },
      {
        name: 'go: auth middleware outside cors.Handler (preflight gets 401)',
        start: goServer('auth-outside'),
        request: BEARER,
        expect: ['preflight-failed-status'],
        allowed: false,
        source: 'kdeps/kdeps#468',
      },
      {
        name: 'go: auth middleware outside cors.Handler (cookie GET, 401 without headers)',
        start: goServer('auth-outside'),
        ...WITH_COOKIE,
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'warning' },
        source: 'kdeps/kdeps#468',
      },
      {
        name: 'go: hand-written w.Header().Set after WriteHeader (headers never sent)',
        start: goServer('set-after-writeheader'),
        ...WITH_COOKIE,
        expect: ['missing-allow-origin'],
        allowed: false,
        source: 'https://pkg.go.dev/net/http#ResponseWriter',
      },
      {
        name: 'go: no CORS, the handler answers OPTIONS 200 itself',
        start: goServer('no-cors'),
        request: JSON_PUT,
        expect: ['missing-allow-origin'],
        allowed: false,
        source: 'https://pkg.go.dev/net/http#ServeMux',
      },
    ] satisfies CorpusCase[]
  ).map((c) => ({ ...c, round: 1 as const })),
};
