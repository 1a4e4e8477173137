import { APP } from '../harness/apps/common.ts';
import { phpMissing, phpServer } from '../harness/stacks/php.ts';
import { BEARER, BEARER_PUT, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const GLOSSARY = 'https://codeclaritylab.com/glossary/cors';
const HEADER_DOC = 'https://www.php.net/manual/en/function.header.php';
/** The page origin with its host in capitals, as a config typo. */
const upperHost = (() => {
  const u = new URL(APP);
  return `${u.protocol}//${u.host.replace(/^./, (c) => c.toUpperCase()).replace(/\.(.)/g, (_m, c: string) => `.${c.toUpperCase()}`)}`;
})();

export const corpus: StackCorpus = {
  stack: 'php',
  missing: phpMissing,
  cases: (
    [
      {
        name: 'php: correct hand-written CORS, cookie GET',
        start: phpServer('correct'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: GLOSSARY,
      },
      {
        name: 'php: correct hand-written CORS, JSON PUT with Authorization',
        start: phpServer('correct'),
        request: BEARER_PUT,
        expect: [],
        correct: true,
        source: GLOSSARY,
      },
      {
        name: 'php: correct, a 404 that keeps its CORS headers',
        start: phpServer('correct'),
        path: '/api/nope',
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        allowed: true,
        source: GLOSSARY,
      },
      {
        name: 'php: correct, Vary: Accept-Encoding, Origin and lower-case Allow-Headers in another order',
        start: phpServer('lenient-spelling'),
        request: BEARER_PUT,
        expect: [],
        correct: true,
        source: 'PostHog/posthog#27728',
      },
      {
        name: 'php: correct lenient spelling, cookie GET',
        start: phpServer('lenient-spelling'),
        ...WITH_COOKIE,
        expect: [],
        correct: true,
        source: 'PostHog/posthog#27728',
      },
      {
        name: "php: public API with '*' and no credentials, anonymous JSON PUT",
        start: phpServer('public-api'),
        request: { ...JSON_PUT, credentials: 'omit' },
        expect: [],
        correct: true,
        source: GLOSSARY,
      },
      {
        name: "php: header('Access-Control-Allow-Origin: *') in one script, the router's 404 without it",
        start: phpServer('one-script'),
        request: { credentials: 'omit' },
        expect: ['header-not-exposed', 'headers-missing-on-errors'],
        severity: { 'header-not-exposed': 'info', 'headers-missing-on-errors': 'warning' },
        allowed: true,
        source: GLOSSARY,
      },
      {
        name: 'php: OPTIONS answered and exit before the CORS headers',
        start: phpServer('options-exit-first'),
        request: { ...JSON_PUT, credentials: 'include' },
        cookie: 'session=ok',
        expect: ['preflight-failed-status'],
        allowed: false,
        source:
          'https://ohmygoodnessjuicery.co.uk/post/error-in-cors-php-response-to-preflight-request-doesnt-pass',
      },
      {
        name: "php: $_SERVER['HTTP_ORIGIN'] echoed with credentials, no Vary, cacheable",
        start: phpServer('echo-origin'),
        ...WITH_COOKIE,
        expect: ['missing-vary-origin', 'origin-reflected'],
        severity: { 'origin-reflected': 'security' },
        source: 'cyu/rack-cors#109',
      },
      {
        name: 'php: allow-list without Vary: Origin, publicly cacheable',
        start: phpServer('no-vary'),
        ...WITH_COOKIE,
        expect: ['missing-vary-origin'],
        source: 'cyu/rack-cors#71',
      },
      {
        name: "php: output before header() ('headers already sent'), no CORS header goes out",
        start: phpServer('headers-after-output'),
        ...WITH_COOKIE,
        expect: ['missing-allow-origin'],
        allowed: false,
        source:
          'https://php-errors.readthedocs.io/en/latest/messages/cannot-modify-header-information---headers-already-sent.html',
      },
      {
        name: 'php: http_response_code(401); exit; before the CORS block (cookie GET)',
        start: phpServer('auth-first'),
        path: '/api/private',
        ...WITH_COOKIE,
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'warning' },
        source: 'https://smartasking.org/blog/fix-cors-401-unauthorized-on',
      },
      {
        name: 'php: http_response_code(401); exit; before the CORS block (preflight gets 401)',
        start: phpServer('auth-first'),
        path: '/api/private',
        request: BEARER,
        expect: ['preflight-failed-status'],
        allowed: false,
        source: 'https://smartasking.org/blog/fix-cors-401-unauthorized-on',
      },
      {
        name: "php: a second header('Access-Control-Allow-Origin: *', false)",
        start: phpServer('double-header'),
        ...WITH_COOKIE,
        expect: ['duplicate-cors-headers'],
        allowed: false,
        source: HEADER_DOC,
      },
      {
        name: 'php: in_array allow-list with a trailing slash',
        start: phpServer('list', { CORS_ORIGINS: `${APP}/` }),
        ...WITH_COOKIE,
        expect: ['origin-mismatch'],
        allowed: false,
        source: 'discourse/discourse#10996',
      },
      {
        name: 'php: in_array allow-list with the host in capitals (strict compare)',
        known:
          'the spelling in the list (App.MyShop) has a capital inside a name, which no case variant can guess; the server answers no spelling a probe sends',
        start: phpServer('list', { CORS_ORIGINS: upperHost }),
        ...WITH_COOKIE,
        expect: ['origin-mismatch'],
        allowed: false,
        source: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Origin',
      },
      {
        name: 'php: http://localhost:8080 left in the production allow-list',
        start: phpServer('list', { CORS_ORIGINS: `${APP},http://localhost:8080` }),
        ...WITH_COOKIE,
        expect: ['localhost-allowed'],
        severity: { 'localhost-allowed': 'security' },
        source: GLOSSARY,
      },
      {
        name: 'php: Access-Control-Allow-Headers: Content-Type only, the page sends Authorization',
        start: phpServer('list', { CORS_ORIGINS: APP, CORS_HEADERS: 'Content-Type' }),
        request: BEARER,
        expect: ['header-not-allowed'],
        allowed: false,
        source: 'http://www.kouhan.cn/en/article/00005720',
      },
      {
        name: "php: strpos($origin, 'myshop.test') !== false with credentials",
        start: phpServer('strpos'),
        ...WITH_COOKIE,
        expect: ['insecure-origin-allowed', 'origin-pattern-bypass', 'subdomain-trusted'],
        severity: { 'origin-pattern-bypass': 'security', 'insecure-origin-allowed': 'security' },
        source: 'https://github.com/cyu/rack-cors/blob/v1.1.1/README.md#origin',
      },
    ] satisfies CorpusCase[]
  ).map((c) => ({ ...c, round: 1 as const })),
};
