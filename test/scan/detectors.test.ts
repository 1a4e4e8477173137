/**
 * One construct at a time, per detector: what must be found, and the near misses that must not be (the
 * issue's "no false alarms" list). Each case is a whole small file, since detectors read imports.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kindOf, scanFiles } from '../../src/scan/index.ts';
import { regexBypass, substringBypass } from '../../src/scan/origins.ts';

const ids = (path: string, text: string) =>
  scanFiles([{ path, text }]).findings.map((f) => `${f.id}@${f.location.line}`);

describe('front end (mistakes 11, 12)', () => {
  test('a proxy URL in a literal, a template, a concatenation', () => {
    assert.deepEqual(ids('a.js', "fetch('https://corsproxy.io/?' + encodeURIComponent(u));"), [
      'cors-proxy-in-use@1',
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the scanned source holds a template literal
    assert.deepEqual(ids('a.ts', 'const r = await fetch(`https://api.allorigins.win/get?url=${u}`);'), [
      'cors-proxy-in-use@1',
    ]);
    assert.deepEqual(ids('a.js', "const p = '//thingproxy.freeboard.io/fetch/';"), ['cors-proxy-in-use@1']);
  });
  test('no finding: a proxy named in a comment or in prose, or a look-alike host', () => {
    assert.deepEqual(ids('a.js', '// https://cors-anywhere.herokuapp.com/ is gone\nfetch("/api");'), []);
    assert.deepEqual(ids('a.js', "const msg = 'do not use cors-anywhere';"), []);
    assert.deepEqual(ids('a.js', "fetch('https://notcorsproxy.io.example.com/x');"), []);
  });
  test('Access-Control-* on requests: fetch, Request, axios call/instance/defaults, XHR, ky, $.ajax', () => {
    const src = `import axios from 'axios';
fetch(u, { headers: { 'access-control-allow-origin': '*' } });
new Request(u, { headers: new Headers({ 'Access-Control-Allow-Headers': 'x' }) });
axios.post(u, body, { headers: { 'Access-Control-Allow-Methods': 'POST' } });
axios.defaults.headers.common['Access-Control-Allow-Origin'] = '*';
xhr.setRequestHeader('Access-Control-Allow-Credentials', 'true');
$.ajax({ url: u, headers: { 'Access-Control-Allow-Origin': '*' } });
const h = { 'Access-Control-Allow-Origin': '*' };
fetch(u, { headers: h });
fetch(u, { headers: [['Access-Control-Expose-Headers', 'x']] });`;
    assert.deepEqual(
      ids('web.ts', src),
      [2, 3, 4, 5, 6, 7, 8, 10].map((l) => `cors-headers-in-request@${l}`),
    );
  });
  test('no finding: Access-Control-Allow-Origin set by a server handler, or ordinary request headers', () => {
    assert.deepEqual(
      ids(
        'srv.js',
        "import http from 'node:http';\nhttp.createServer((q, s) => { s.writeHead(200, { 'Access-Control-Allow-Origin': '*' }); s.end(); });",
      ),
      [],
    );
    assert.deepEqual(
      ids(
        'route.ts',
        "export const GET = () => new Response('x', { headers: { 'Access-Control-Allow-Origin': '*' } });",
      ),
      [],
    );
    assert.deepEqual(
      ids('w.js', "fetch(u, { headers: { Authorization: 'x', 'Content-Type': 'application/json' } });"),
      [],
    );
  });
  test('TypeScript generics, JSX and syntax errors do not break the parse', () => {
    assert.deepEqual(
      ids('c.tsx', "const f = <T,>(x: T) => x;\nexport const C = () => <a href={'https://cors.sh/x'}>x</a>;"),
      ['cors-proxy-in-use@2'],
    );
    assert.deepEqual(ids('broken.js', "fetch('https://corsproxy.io/?x', { headers: {"), [
      'cors-proxy-in-use@1',
    ]);
  });
});

describe('JS server code', () => {
  test('cors(): * with credentials, reflection, and no finding for a public API', () => {
    assert.deepEqual(ids('s.js', "import cors from 'cors';\napp.use(cors({ credentials: true }));"), [
      'wildcard-with-credentials@2',
    ]);
    assert.deepEqual(
      ids('s.js', "import cors from 'cors';\napp.use(cors({ origin: true, credentials: true }));"),
      ['origin-reflected@2'],
    );
    assert.deepEqual(
      ids(
        's.js',
        "import cors from 'cors';\napp.use(cors({ origin: (o, cb) => cb(null, true), credentials: true }));",
      ),
      ['origin-reflected@2'],
    );
    assert.deepEqual(
      ids('s.js', "import cors from 'cors';\napp.use(cors());\napp.use(cors({ origin: '*' }));"),
      [],
    );
    assert.deepEqual(ids('s.js', "import cors from 'cors';\napp.use(cors({ origin: true }));"), []);
  });
  test('no finding: lists from the environment, localhost under a development check, options built elsewhere', () => {
    assert.deepEqual(
      ids(
        's.js',
        "import cors from 'cors';\napp.use(cors({ origin: process.env.ORIGINS.split(','), credentials: true }));",
      ),
      [],
    );
    assert.deepEqual(
      ids(
        's.js',
        "import cors from 'cors';\nconst o = process.env.NODE_ENV === 'production' ? ['https://a.example'] : ['http://localhost:3000'];\napp.use(cors({ origin: o }));",
      ),
      [],
    );
    assert.deepEqual(
      ids(
        's.js',
        "import cors from 'cors';\nimport { corsOptions } from './config.js';\napp.use(cors(corsOptions));",
      ),
      [],
    );
  });
  test('origin checks: endsWith/includes/unanchored regex found; anchored ones and subdomain suffixes not', () => {
    assert.deepEqual(ids('s.js', "if (origin.includes('example.com')) ok();"), ['origin-pattern-bypass@1']);
    assert.deepEqual(ids('s.js', 'if (/^https:\\/\\/app\\.example\\.com/.test(req.headers.origin)) ok();'), [
      'origin-pattern-bypass@1',
    ]);
    assert.deepEqual(
      ids(
        's.js',
        "if (origin.endsWith('.example.com')) ok();\nif (/^https:\\/\\/app\\.example\\.com$/.test(origin)) ok();",
      ),
      [],
    );
  });
  test('CORS after authentication (4), and not when CORS comes first', () => {
    assert.deepEqual(
      ids('s.js', "import cors from 'cors';\napp.use(passport.authenticate('jwt'));\napp.use(cors());"),
      ['headers-missing-on-errors@3'],
    );
    assert.deepEqual(
      ids('s.js', "import cors from 'cors';\napp.use(cors());\napp.use(passport.authenticate('jwt'));"),
      [],
    );
  });
  test('hand-set reflection without Vary (6); with a check and Vary, nothing', () => {
    assert.deepEqual(
      ids(
        's.js',
        "import express from 'express';\napp.use((req, res, next) => { res.set('Access-Control-Allow-Origin', req.headers.origin); next(); });",
      ),
      ['missing-vary-origin@2'],
    );
    assert.deepEqual(
      ids(
        's.js',
        "import express from 'express';\nconst A = ['https://a.example'];\napp.use((req, res, next) => { const o = req.headers.origin; if (A.includes(o)) res.set('Access-Control-Allow-Origin', o); res.vary('Origin'); next(); });",
      ),
      [],
    );
    assert.deepEqual(
      ids(
        's.js',
        "import express from 'express';\napp.use((req, res, next) => { res.set('Access-Control-Allow-Origin', process.env.FRONTEND_ORIGIN); next(); });",
      ),
      [],
    );
  });
});

describe('origin patterns', () => {
  test('regexes', () => {
    assert.equal(regexBypass('^https://(app|admin)\\.example\\.com$'), null);
    assert.equal(regexBypass('^https://([a-z0-9-]+\\.)*example\\.com$'), null);
    assert.match(regexBypass('^https://app\\.example\\.com') ?? '', /not anchored at the end/);
    assert.match(regexBypass('example\\.com$') ?? '', /not anchored at the start/);
    assert.match(regexBypass('^https://app.example\\.com$') ?? '', /not escaped/);
  });
  test('substring checks', () => {
    assert.match(substringBypass('endsWith', 'example.com') ?? '', /evilexample\.com/);
    assert.equal(substringBypass('endsWith', '.example.com'), null);
    assert.match(substringBypass('startsWith', 'https://example.com') ?? '', /attacker/);
  });
});

describe('other languages and configs', () => {
  test('nginx: always, if-regex, reflection with credentials', () => {
    const conf = `server {
  location / {
    add_header Access-Control-Allow-Origin https://a.example.com;
  }
  location /b {
    if ($http_origin ~* "^https://b\\.example\\.com$") { add_header Access-Control-Allow-Origin $http_origin always; }
    add_header Vary Origin always;
  }
}`;
    assert.deepEqual(ids('nginx/site.conf', conf), ['headers-missing-on-errors@3']);
  });
  test('a .conf that is not nginx is not read as nginx', () => {
    assert.equal(kindOf('etc/redis.conf'), 'nginx');
    assert.deepEqual(ids('etc/redis.conf', 'maxmemory 100mb\nbind 127.0.0.1\n'), []);
  });
  test('django: allow-all without credentials is a public API', () => {
    assert.deepEqual(
      ids('proj/settings.py', 'CORS_ALLOW_ALL_ORIGINS = True\nINSTALLED_APPS = ["corsheaders"]\n'),
      [],
    );
  });
  test('Spring normalises case and a trailing slash; ASP.NET a trailing slash is still a typo', () => {
    assert.deepEqual(
      ids(
        'W.java',
        'class W { void a(CorsRegistry r) { r.addMapping("/**").allowedOrigins("https://A.example.com/"); } }',
      ),
      [],
    );
    assert.deepEqual(
      ids(
        'Program.cs',
        'builder.Services.AddCors(o => o.AddPolicy("p", p => p.WithOrigins("https://a.example.com/")));',
      ),
      ['origin-mismatch@1'],
    );
  });
  test('PHP: a reflected origin behind in_array is checked', () => {
    assert.deepEqual(
      ids(
        'a.php',
        "<?php\nif (in_array($_SERVER['HTTP_ORIGIN'], $ok)) { header('Access-Control-Allow-Origin: ' . $_SERVER['HTTP_ORIGIN']); header('Access-Control-Allow-Credentials: true'); header('Vary: Origin'); }",
      ),
      [],
    );
  });
  test('test files report at info', () => {
    const r = scanFiles([{ path: 'src/api.test.ts', text: "fetch('https://corsproxy.io/?x');" }]);
    assert.equal(r.findings[0]?.severity, 'info');
    assert.equal(
      scanFiles([{ path: 'src/api.test.ts', text: "fetch('https://corsproxy.io/?x');" }], { skipTests: true })
        .findings.length,
      0,
    );
  });
});

describe('found while scanning the real-server harness (test/harness): near misses', () => {
  test('* and credentials in exclusive branches is not mistake 2; in the same branch it is', () => {
    const src = (sep: string) => `import http from 'node:http';
http.createServer((req, res) => {
  if (star) {
    res.setHeader('Access-Control-Allow-Origin', '*');
  ${sep}
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  res.end();
});`;
    assert.deepEqual(ids('s.js', src('} else {')), []);
    assert.deepEqual(ids('s.js', src('')), ['wildcard-with-credentials@4']);
  });
  test('Vary set in a header object counts; a Python tuple check counts as a check', () => {
    assert.deepEqual(
      ids(
        'm.js',
        "import { NextResponse } from 'next/server';\nexport function middleware(request) {\n  const origin = request.headers.get('origin');\n  const r = NextResponse.next({ headers: { Vary: 'Origin' } });\n  r.headers.set('Access-Control-Allow-Origin', origin);\n  return r;\n}",
      ),
      [],
    );
    assert.deepEqual(
      ids(
        'app.py',
        'from flask import request\n\ndef cors(response):\n    origin = request.headers.get("Origin")\n    if origin in (APP, ADMIN):\n        response.headers["Access-Control-Allow-Origin"] = origin\n        response.headers["Access-Control-Allow-Credentials"] = "true"\n        response.headers["Vary"] = "Origin"\n    return response\n',
      ),
      [],
    );
  });
  test('a Vary helper (@fastify/cors addOriginToVaryHeader) counts as Vary: Origin', () => {
    assert.deepEqual(
      ids(
        'index.js',
        "const { addOriginToVaryHeader } = require('./vary');\nfunction add(req, reply) {\n  const origin = pick(req.headers.origin);\n  reply.header('Access-Control-Allow-Origin', origin);\n  addOriginToVaryHeader(reply);\n}",
      ),
      [],
    );
  });
  test('PHP strpos on the Origin is a bypass, not an unchecked reflection', () => {
    const php =
      "<?php\n$origin = $_SERVER['HTTP_ORIGIN'] ?? '';\nheader('Vary: Origin');\nif (strpos($origin, 'myshop.test') !== false) {\n  header(\"Access-Control-Allow-Origin: $origin\");\n  header('Access-Control-Allow-Credentials: true');\n}\n";
    assert.deepEqual(ids('a.php', php), ['origin-pattern-bypass@4']);
  });
  test('Caddy in front of an app that sets CORS too: duplicate headers (5)', () => {
    const r = scanFiles([
      {
        path: 'Caddyfile',
        text: 'api.example.com {\n\theader Access-Control-Allow-Origin https://app.example.com\n\treverse_proxy 127.0.0.1:3000\n}\n',
      },
      {
        path: 'api/server.js',
        text: "import cors from 'cors';\napp.use(cors({ origin: 'https://app.example.com' }));\n",
      },
    ]);
    assert.deepEqual(
      r.findings.map((f) => `${f.id} ${f.location.file}:${f.location.line}`),
      ['duplicate-cors-headers Caddyfile:2'],
    );
    assert.match(r.findings[0]!.detail, /api\/server\.js:2/);
  });
});
