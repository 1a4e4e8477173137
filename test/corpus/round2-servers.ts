/**
 * Round 2 of issue 10 (written after the diagnosis changed, labelled before running it): Flask, Django,
 * Rack, PHP, Go rs/cors, nginx and Caddy setups from real reports, on the real servers. Labels are what a
 * CORS expert names per DESIGN.md's ids and diagnosis notes.
 */
import type { RunningApp } from '../harness/apps/common.ts';
import { nginxMissing, startNginx } from '../harness/nginx.ts';
import { caddyMissing, startCaddy } from '../harness/stacks/caddy.ts';
import { goMissing } from '../harness/stacks/go.ts';
import { goR2 } from '../harness/stacks/go-r2.ts';
import { phpMissing } from '../harness/stacks/php.ts';
import { phpR2 } from '../harness/stacks/php-r2.ts';
import { behind, startUpstream } from '../harness/stacks/proxy-upstream.ts';
import { pythonMissing } from '../harness/stacks/python.ts';
import { djangoR2, flaskR2 } from '../harness/stacks/python-r2.ts';
import { rubyMissing } from '../harness/stacks/ruby.ts';
import { rackR2 } from '../harness/stacks/ruby-r2.ts';
import { AUTH_PUT, BEARER_ANON, COOKIE_PUT, JSON_PUT, WITH_COOKIE } from './_round2.ts';
import type { StackCorpus } from './case.ts';

const flask: StackCorpus = {
  stack: 'flask',
  missing: () => pythonMissing('flask'),
  cases: [
    {
      name: 'flask r2: CORS(app) defaults and the page sends its cookie (no Allow-Credentials)',
      start: flaskR2('default-cookie'),
      ...WITH_COOKIE,
      // Reviewed after the blind run: CORS(app) echoes every Origin, which the obvious fix
      // (supports_credentials=True) would turn into a hole, so the info line belongs here.
      expect: ['credentials-not-allowed', 'origin-reflected'],
      severity: { 'origin-reflected': 'info' },
      allowed: false,
      round: 2,
      source: 'corydolphin/flask-cors#132',
    },
    {
      name: "flask r2: after_request sets Allow-Credentials to the Python bool True (sent as 'True')",
      start: flaskR2('credentials-python-true'),
      ...WITH_COOKIE,
      expect: ['credentials-not-allowed'],
      allowed: false,
      round: 2,
      source:
        'https://www.cross-origin.com/core-cors-mechanics-same-origin-policy-fundamentals/credential-sharing-security-boundaries/understanding-access-control-allow-credentials/',
    },
    {
      name: "flask r2: allow_headers left at '*' (flask-cors echoes them), allow-list + credentials, JSON PUT with Authorization",
      start: flaskR2('default-allow-headers'),
      ...AUTH_PUT,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://flask-cors.readthedocs.io/en/latest/api.html',
    },
  ],
};

const django: StackCorpus = {
  stack: 'django',
  missing: () => pythonMissing('django'),
  cases: [
    {
      name: 'django r2: CORS_ALLOW_CREDENTIALS: True (an annotation, not an assignment), cookie GET',
      start: djangoR2('credentials-annotation'),
      ...WITH_COOKIE,
      expect: ['credentials-not-allowed'],
      allowed: false,
      round: 2,
      source: 'adamchainz/django-cors-headers#863',
    },
    {
      name: 'django r2: SecurityMiddleware with SECURE_SSL_REDIRECT above CorsMiddleware, JSON PUT (preflight 301)',
      start: djangoR2('ssl-redirect-first'),
      request: JSON_PUT,
      expect: ['preflight-redirect'],
      allowed: false,
      round: 2,
      source:
        'https://newbe.dev/how-to-resolve-preflight-is-invalid-redirect-or-redirect-is-not-allowed-for-a-preflight-request',
    },
    {
      name: 'django r2: x-request-id added to CORS_ALLOW_HEADERS instead of CORS_EXPOSE_HEADERS',
      start: djangoR2('allow-not-expose'),
      ...WITH_COOKIE,
      expose: ['X-Request-Id'],
      expect: ['header-not-exposed'],
      round: 2,
      source: 'adamchainz/django-cors-headers#863',
    },
    {
      name: 'django r2: anchored CORS_ALLOWED_ORIGIN_REGEXES for two front ends, JSON PUT with Authorization',
      start: djangoR2('regex-anchored'),
      ...AUTH_PUT,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source:
        'https://github.com/adamchainz/django-cors-headers#cors_allowed_origin_regexes-sequencestr--patternstr',
    },
    {
      name: 'django r2: correct CORS, PUT to a GET-only view: a readable 405 (an app error, not CORS)',
      start: djangoR2('correct'),
      path: '/api/report',
      ...COOKIE_PUT,
      expect: [],
      correct: true,
      round: 2,
      source: 'adamchainz/django-cors-headers#647',
    },
  ],
};

const rails: StackCorpus = {
  stack: 'rails',
  missing: rubyMissing,
  cases: [
    {
      name: "rack-cors r2: an origins '*' block before the credentialed block, cookie GET",
      start: rackR2('wildcard-block-first'),
      ...WITH_COOKIE,
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'cyu/rack-cors#220',
    },
    {
      name: 'rack-cors r2: credentials: true left out, the page sends its cookie',
      start: rackR2('no-credentials'),
      ...WITH_COOKIE,
      expect: ['credentials-not-allowed'],
      allowed: false,
      round: 2,
      source: 'zooniverse/panoptes#3206',
    },
    {
      name: 'rack-cors r2: headers: :any with exact origins and credentials, JSON PUT with Authorization',
      start: rackR2('headers-any'),
      ...AUTH_PUT,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://github.com/cyu/rack-cors#rails-configuration',
    },
  ],
};

const php: StackCorpus = {
  stack: 'php',
  missing: phpMissing,
  cases: [
    {
      name: "php r2: header('Access-Control-Allow-Credentials: True') (capital T), cookie GET",
      start: phpR2('credentials-capital'),
      ...WITH_COOKIE,
      expect: ['credentials-not-allowed'],
      allowed: false,
      round: 2,
      source:
        'https://www.cross-origin.com/core-cors-mechanics-same-origin-policy-fundamentals/credential-sharing-security-boundaries/understanding-access-control-allow-credentials/',
    },
    {
      name: "php r2: implode(', ', $allowed) into one Access-Control-Allow-Origin",
      start: phpR2('implode'),
      ...WITH_COOKIE,
      expect: ['duplicate-cors-headers'],
      allowed: false,
      round: 2,
      source: 'https://stackoverflow.com/questions/1653308',
    },
    {
      name: 'php r2: echoed origin with credentials but Allow-Methods/-Headers *, JSON PUT with Authorization',
      start: phpR2('star-lists-credentials'),
      ...AUTH_PUT,
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'pyrates/roll#79',
    },
    {
      name: 'php r2: public token API, * without credentials, Authorization listed, bearer PUT',
      start: phpR2('public-bearer'),
      request: {
        ...BEARER_ANON,
        method: 'PUT',
        headers: [...(BEARER_ANON.headers ?? []), ['Content-Type', 'application/json']],
      },
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://enable-cors.org/server_php.html',
    },
  ],
};

const go: StackCorpus = {
  stack: 'go',
  missing: goMissing,
  cases: [
    {
      name: 'go rs/cors r2: OptionsPassthrough: true, the method check answers the preflight 405',
      start: goR2('options-passthrough'),
      ...COOKIE_PUT,
      expect: ['preflight-failed-status'],
      allowed: false,
      round: 2,
      source: 'rs/cors#185',
    },
    {
      name: "go rs/cors r2: the handler still sets Allow-Origin '*' over rs/cors's echo, cookie GET",
      start: goR2('handler-star'),
      ...WITH_COOKIE,
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'fastify/help#583',
    },
    {
      name: "go rs/cors r2: AllowedHeaders ['*'] (rs/cors echoes them) with credentials, JSON PUT with Authorization",
      start: goR2('star-headers'),
      ...AUTH_PUT,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://github.com/rs/cors#parameters',
    },
    {
      name: "go rs/cors r2: AllowedOrigins ['https://*.myshop.test'] with credentials, cookie GET",
      start: goR2('wildcard-subdomain'),
      ...WITH_COOKIE,
      expect: ['subdomain-trusted'],
      severity: { 'subdomain-trusted': 'security' },
      round: 2,
      source: 'https://github.com/rs/cors#parameters',
    },
  ],
};

const proxied = (server: (u: string) => string) =>
  behind(
    () => startUpstream({ cors: 'none' }),
    async (u): Promise<RunningApp> => {
      const n = await startNginx(server(u));
      return { base: n.base, close: n.stop };
    },
  );

const nginx: StackCorpus = {
  stack: 'nginx',
  missing: nginxMissing,
  cases: [
    {
      name: 'nginx r2: add_header Access-Control-Allow-Origin $http_origin + credentials, no Vary',
      start: proxied(
        (u) => `location /api/ {
    add_header Access-Control-Allow-Origin $http_origin always;
    add_header Access-Control-Allow-Credentials true always;
    add_header Access-Control-Expose-Headers X-Request-Id always;
    if ($request_method = OPTIONS) {
      add_header Access-Control-Allow-Origin $http_origin;
      add_header Access-Control-Allow-Credentials true;
      add_header Access-Control-Allow-Methods "GET, PUT, DELETE";
      add_header Access-Control-Allow-Headers "Authorization, Content-Type";
      return 204;
    }
    proxy_pass ${u};
  }`,
      ),
      ...WITH_COOKIE,
      // Two causes: any origin is echoed with credentials, and the echo has no Vary: Origin.
      expect: ['missing-vary-origin', 'origin-reflected'],
      severity: { 'origin-reflected': 'security' },
      round: 2,
      source: 'https://enterno.io/en/s/how-to-fix-cors-preflight',
    },
    {
      name: 'nginx r2: add_header Access-Control-Allow-Origin "https://app…, https://admin…" (a list)',
      start: proxied(
        (u) => `location /api/ {
    add_header Access-Control-Allow-Origin "https://app.myshop.test, https://admin.myshop.test" always;
    add_header Access-Control-Allow-Credentials true always;
    proxy_pass ${u};
  }`,
      ),
      ...WITH_COOKIE,
      expect: ['duplicate-cors-headers'],
      allowed: false,
      round: 2,
      source: 'https://distinctplace.com/2017/04/17/nginx-access-control-allow-origin-cors/',
    },
    {
      name: 'nginx r2: public token API, add_header * always, OPTIONS 204 listing Authorization, bearer GET',
      start: proxied(
        (u) => `location /api/ {
    add_header Access-Control-Allow-Origin * always;
    add_header Access-Control-Expose-Headers X-Request-Id always;
    if ($request_method = OPTIONS) {
      add_header Access-Control-Allow-Origin *;
      add_header Access-Control-Allow-Methods "GET, PUT, DELETE";
      add_header Access-Control-Allow-Headers "Authorization, Content-Type";
      add_header Access-Control-Max-Age 600;
      return 204;
    }
    proxy_pass ${u};
  }`,
      ),
      request: BEARER_ANON,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://enable-cors.org/server_nginx.html',
    },
  ],
};

const caddy: StackCorpus = {
  stack: 'caddy',
  missing: caddyMissing,
  cases: [
    {
      name: 'caddy r2: header Access-Control-Allow-Origin {http.request.header.Origin} with credentials',
      start: behind(
        () => startUpstream({ cors: 'none' }),
        (u) =>
          startCaddy(`  header {
    Access-Control-Allow-Origin {http.request.header.Origin}
    Access-Control-Allow-Credentials true
    Access-Control-Expose-Headers X-Request-Id
    Vary Origin
  }
  @options method OPTIONS
  respond @options 204
  reverse_proxy ${u}`),
      ),
      ...WITH_COOKIE,
      expect: ['origin-reflected'],
      severity: { 'origin-reflected': 'security' },
      round: 2,
      source: 'https://cors-handbook.com/posts/cors-for-caddy-web-server/',
    },
  ],
};

export const corpora: StackCorpus[] = [flask, django, rails, php, go, nginx, caddy];
