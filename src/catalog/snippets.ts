/**
 * Fix snippets per stack. Most ids share one correct configuration per stack (explicit origins, echoed with
 * `Vary: Origin`, credentials, methods, headers, exposed headers, preflight answered before anything else,
 * headers on error responses too); each id gets its own leading comment saying what matters for it, and a
 * few ids (5, 8, 10, 11, 12, mixed content) get their own code. Checked against the installed majors:
 * cors 2.8, @fastify/cors 11 (default methods GET,HEAD,POST), @koa/cors 5 (default origin `*`,
 * keepHeadersOnError on by default), hono 4 (`hono/cors`), Next.js app-router route handlers.
 */
import type { StackName } from '../diagnosis/types.ts';
import type { FindingId } from './ids.ts';
import type { SnippetSet } from './types.ts';

const ORIGIN = 'https://app.example.com';
const API = 'https://api.example.com';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const HEADERS = ['Authorization', 'Content-Type'];
const EXPOSE = ['X-Request-ID'];

/** What the shared configuration shows for one id. */
interface Profile {
  /** Leading comment lines (without comment markers), the point of the fix for this id. */
  note: string[];
  /** Per-stack extra note lines, appended after `note`. */
  stackNote?: Partial<Record<StackName, string[]>>;
  /** Production/development allow-lists (mistake 8). */
  envSplit?: boolean;
}

const js = (lines: string[]) => lines.map((l) => `// ${l}`).join('\n');
const hash = (lines: string[]) => lines.map((l) => `# ${l}`).join('\n');
const q = (s: string) => `'${s}'`;
const list = (xs: string[]) => `[${xs.map(q).join(', ')}]`;

function jsOrigins(envSplit: boolean, asSet = false): string {
  const wrap = (s: string) => (asSet ? `new Set(${s})` : s);
  if (!envSplit) return `const allowedOrigins = ${wrap(list([ORIGIN]))};`;
  return `const allowedOrigins = ${wrap(
    `process.env.NODE_ENV === 'production'\n  ? ${list([ORIGIN])}\n  : ${list(['http://localhost:3000', 'http://localhost:5173'])}`,
  )};`;
}

const GENERATORS: Record<StackName, (p: Profile) => string> = {
  express: (p) => `${js(notes(p, 'express'))}
import express from 'express';
import cors from 'cors';

const app = express();
${jsOrigins(!!p.envSplit)}

// First middleware: answers OPTIONS preflights (204) and adds the headers before any route, auth or error handler runs.
app.use(
  cors({
    origin: allowedOrigins, // a listed origin is echoed back, with Vary: Origin; others get no CORS headers
    credentials: true, // only if the front end sends cookies or HTTP auth
    methods: ${list(METHODS)},
    allowedHeaders: ${list(HEADERS)},
    exposedHeaders: ${list(EXPOSE)},
    maxAge: 600,
  }),
);
app.use(authenticate); // after CORS, so a 401 still carries Access-Control-Allow-Origin
app.use('/api', apiRouter);`,

  fastify: (p) => `${js(notes(p, 'fastify'))}
import Fastify from 'fastify';
import cors from '@fastify/cors';

const app = Fastify();
${jsOrigins(!!p.envSplit)}

// Registered on the root instance: its onRequest hook runs before auth hooks and routes, it answers OPTIONS
// for every path, and the headers it sets stay on error replies.
await app.register(cors, {
  origin: allowedOrigins, // a listed origin is echoed back, with Vary: Origin
  credentials: true, // only if the front end sends cookies or HTTP auth
  methods: ${list(METHODS)}, // v11 allows only GET,HEAD,POST by default
  allowedHeaders: ${list(HEADERS)},
  exposedHeaders: ${list(EXPOSE)},
  maxAge: 600,
});`,

  koa: (p) => `${js(notes(p, 'koa'))}
import Koa from 'koa';
import cors from '@koa/cors';

const app = new Koa();
${jsOrigins(!!p.envSplit, true)}

// First middleware: answers OPTIONS preflights itself (204) and always sets Vary: Origin.
app.use(
  cors({
    // v5 defaults to '*': return the origin only when it is listed ('' = no CORS headers).
    origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    credentials: true, // only if the front end sends cookies or HTTP auth
    allowMethods: ${list(METHODS)},
    allowHeaders: ${list(HEADERS)},
    exposeHeaders: ${list(EXPOSE)},
    maxAge: 600,
    keepHeadersOnError: true, // keep the headers on thrown errors (401, 500…)
  }),
);
app.use(authenticate); // after CORS`,

  hono: (p) => `${js(notes(p, 'hono'))}
import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();
${jsOrigins(!!p.envSplit)}

// Before every route and auth middleware: it answers OPTIONS with 204, and the headers it sets survive
// responses built later by handlers and app.onError.
app.use(
  '*',
  cors({
    origin: allowedOrigins, // a listed origin is echoed back, with Vary: Origin
    credentials: true, // only if the front end sends cookies or HTTP auth
    allowMethods: ${list(METHODS)},
    allowHeaders: ${list(HEADERS)},
    exposeHeaders: ${list(EXPOSE)},
    maxAge: 600,
  }),
);
app.use('/api/*', authenticate); // after CORS`,

  node: (p) => `${js(notes(p, 'node'))}
import { createServer } from 'node:http';

${jsOrigins(!!p.envSplit, true)}

createServer((req, res) => {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin'); // the answer depends on Origin: caches must key on it
  if (origin && allowedOrigins.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true'); // only if cookies or HTTP auth are used
    res.setHeader('Access-Control-Expose-Headers', '${EXPOSE.join(', ')}');
  }
  // Preflight: answer it here, before routing and authentication.
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.setHeader('Access-Control-Allow-Methods', '${METHODS.join(', ')}');
    res.setHeader('Access-Control-Allow-Headers', '${HEADERS.join(', ')}');
    res.setHeader('Access-Control-Max-Age', '600');
    res.writeHead(204).end();
    return;
  }
  handle(req, res); // your routes: the headers above are already set, also for 4xx/5xx answers
}).listen(3000);`,

  nextjs: (p) => `${js(notes(p, 'nextjs'))}
// app/api/items/route.ts
${jsOrigins(!!p.envSplit, true)}

function corsHeaders(request: Request): Headers {
  const headers = new Headers({ Vary: 'Origin' });
  const origin = request.headers.get('origin');
  if (origin && allowedOrigins.has(origin)) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true'); // only if cookies or HTTP auth are used
    headers.set('Access-Control-Expose-Headers', '${EXPOSE.join(', ')}');
  }
  return headers;
}

// Without this export Next.js answers OPTIONS itself, with no CORS headers.
export function OPTIONS(request: Request) {
  const headers = corsHeaders(request);
  headers.set('Access-Control-Allow-Methods', '${METHODS.join(', ')}');
  headers.set('Access-Control-Allow-Headers', '${HEADERS.join(', ')}');
  headers.set('Access-Control-Max-Age', '600');
  return new Response(null, { status: 204, headers });
}

export async function PUT(request: Request) {
  try {
    const item = await saveItem(await request.json());
    return Response.json(item, { headers: corsHeaders(request) });
  } catch {
    // error answers need the headers too, or the page sees a CORS error instead of this 400
    return Response.json({ error: 'invalid item' }, { status: 400, headers: corsHeaders(request) });
  }
}`,

  nginx: (p) => `${hash(notes(p, 'nginx'))}
# http {} level: an unlisted origin maps to "" and nginx then leaves the header out.
map $http_origin $cors_origin {
    default "";
    "${ORIGIN}" $http_origin;${p.envSplit ? '\n    include /etc/nginx/cors-dev-origins*.conf;  # only on development machines' : ''}
}
map $http_origin $cors_credentials {
    default "";
    "${ORIGIN}" "true";${p.envSplit ? '\n    include /etc/nginx/cors-dev-credentials*.conf;' : ''}
}

server {
    location /api/ {
        # Preflight: answered here, before auth_request and the upstream.
        if ($request_method = OPTIONS) {
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Allow-Credentials $cors_credentials always;
            add_header Access-Control-Allow-Methods "${METHODS.join(', ')}" always;
            add_header Access-Control-Allow-Headers "${HEADERS.join(', ')}" always;
            add_header Access-Control-Max-Age 600 always;
            add_header Vary Origin always;
            return 204;
        }
        # "always" adds them to 4xx/5xx answers too. An add_header in a block replaces all inherited ones.
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials $cors_credentials always;
        add_header Access-Control-Expose-Headers "${EXPOSE.join(', ')}" always;
        add_header Vary Origin always;
        # nginx owns CORS here: drop any copy the application adds, or the browser sees two values.
        proxy_hide_header Access-Control-Allow-Origin;
        proxy_hide_header Access-Control-Allow-Credentials;
        proxy_pass http://127.0.0.1:3000;
    }
}`,

  apache: (p) => `${hash(notes(p, 'apache'))}
# In the <VirtualHost> (not .htaccess, which runs after authentication). Needs mod_headers, mod_setenvif, mod_rewrite.
SetEnvIf Origin "^(${ORIGIN.replaceAll('.', '\\.')})$" CORS_ORIGIN=$1${
    p.envSplit
      ? '\n<IfDefine DEVELOPMENT>\n    # started with `httpd -D DEVELOPMENT` on development machines only\n    SetEnvIf Origin "^(http://localhost:(3000|5173))$" CORS_ORIGIN=$1\n</IfDefine>'
      : ''
  }
# "always" also covers error responses; the default table only applies to 2xx/3xx.
Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
Header always set Access-Control-Expose-Headers "${EXPOSE.join(', ')}" env=CORS_ORIGIN
Header always merge Vary "Origin"
# Apache owns CORS here: drop any copy a proxied application adds.
Header unset Access-Control-Allow-Origin
Header unset Access-Control-Allow-Credentials
# Preflight: answered with 204 before authentication and the application.
Header always set Access-Control-Allow-Methods "${METHODS.join(', ')}" "expr=%{REQUEST_METHOD} == 'OPTIONS'"
Header always set Access-Control-Allow-Headers "${HEADERS.join(', ')}" "expr=%{REQUEST_METHOD} == 'OPTIONS'"
Header always set Access-Control-Max-Age "600" "expr=%{REQUEST_METHOD} == 'OPTIONS'"
RewriteEngine On
RewriteCond %{REQUEST_METHOD} =OPTIONS
RewriteCond %{HTTP:Access-Control-Request-Method} !=""
RewriteRule ^ - [R=204,L]
# With authentication, leave OPTIONS out of it:  <LimitExcept OPTIONS> Require valid-user </LimitExcept>`,

  caddy: (p) => `${hash(notes(p, 'caddy'))}
api.example.com {
	# Origins on the list get their own origin back.
	@cors_allowed header Origin ${p.envSplit ? '{$CORS_ORIGINS}  # set per environment, e.g. "https://app.example.com"' : ORIGIN}
	header @cors_allowed {
		Access-Control-Allow-Origin {http.request.header.Origin}
		Access-Control-Allow-Credentials true
		Access-Control-Expose-Headers "${EXPOSE.join(', ')}"
	}
	header Vary Origin

	# Preflight: answered here, before auth and the upstream.
	@preflight {
		method OPTIONS
		header Access-Control-Request-Method *
	}
	handle @preflight {
		header Access-Control-Allow-Methods "${METHODS.join(', ')}"
		header Access-Control-Allow-Headers "${HEADERS.join(', ')}"
		header Access-Control-Max-Age 600
		respond 204
	}
	handle {
		reverse_proxy 127.0.0.1:3000 {
			# Caddy owns CORS here: drop any copy the application adds.
			header_down -Access-Control-Allow-Origin
			header_down -Access-Control-Allow-Credentials
		}
	}
}`,

  'cors-doctor': (p) => `${js(notes(p, 'cors-doctor'))}
import express from 'express';
import { cors } from 'cors-doctor/node'; // also cors-doctor/fastify, cors-doctor/koa, cors-doctor/fetch (Hono, Workers)

const app = express();
${jsOrigins(!!p.envSplit)}

// Refuses unsafe settings at start-up (CorsConfigError), answers preflights, sets Vary: Origin and puts its
// headers on every response, errors included.
app.use(
  cors({
    origins: allowedOrigins,
    credentials: true, // only if the front end sends cookies or HTTP auth
    methods: ['PUT', 'PATCH', 'DELETE'], // beyond GET, HEAD, POST
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  }),
);
app.use(authenticate); // after CORS`,
};

function notes(p: Profile, stack: StackName): string[] {
  return [...p.note, ...(p.stackNote?.[stack] ?? [])];
}

function fromProfile(p: Profile): SnippetSet {
  const out: SnippetSet = {};
  for (const [stack, gen] of Object.entries(GENERATORS) as [StackName, (p: Profile) => string][]) {
    out[stack] = gen(p);
  }
  return out;
}

/** Mistake 5: one layer owns CORS. */
function duplicates(): SnippetSet {
  const base = fromProfile({
    note: [
      'Mistake 5: only one layer may add CORS headers. If the application owns them (below), remove every',
      'Access-Control-* header from the proxy, gateway or CDN in front of it.',
    ],
  });
  return {
    ...base,
    nginx: `# Mistake 5: only one layer may add CORS headers.
# Either the application owns them: no add_header Access-Control-* lines in nginx at all…
location /api/ {
    proxy_pass http://127.0.0.1:3000;
}
# …or nginx owns them (see the full configuration for missing-allow-origin) and hides the app's copies:
#     proxy_hide_header Access-Control-Allow-Origin;
#     proxy_hide_header Access-Control-Allow-Credentials;
#     proxy_hide_header Access-Control-Allow-Methods;
#     proxy_hide_header Access-Control-Allow-Headers;
#     proxy_hide_header Access-Control-Expose-Headers;`,
    apache: `# Mistake 5: only one layer may add CORS headers.
# Either the application owns them: delete the Header … Access-Control-* lines from httpd.conf and .htaccess…
ProxyPass        "/api/" "http://127.0.0.1:3000/api/"
ProxyPassReverse "/api/" "http://127.0.0.1:3000/api/"
# …or Apache owns them (see the full configuration for missing-allow-origin) and removes the app's copies:
#     Header unset Access-Control-Allow-Origin
#     Header unset Access-Control-Allow-Credentials`,
    caddy: `# Mistake 5: only one layer may add CORS headers.
# Either the application owns them: no header Access-Control-* lines in the Caddyfile…
api.example.com {
	reverse_proxy 127.0.0.1:3000
}
# …or Caddy owns them (see the full configuration for missing-allow-origin) and drops the app's copies:
#	reverse_proxy 127.0.0.1:3000 {
#		header_down -Access-Control-Allow-Origin
#		header_down -Access-Control-Allow-Credentials
#	}`,
  };
}

const CSP = `default-src 'self'; connect-src 'self' ${API}`;

/** Mistake 10: the fix is the front end's Content-Security-Policy, on the server that delivers the HTML. */
function csp(): SnippetSet {
  const head =
    'Mistake 10: on the server that delivers the HTML page (not the API), let the page connect to the API.';
  return {
    express: `// ${head}
app.use((req, res, next) => {
  res.setHeader('Content-Security-Policy', "${CSP}");
  next();
});
// With helmet: helmet({ contentSecurityPolicy: { directives: { connectSrc: ["'self'", '${API}'] } } })`,
    fastify: `// ${head}
app.addHook('onRequest', async (request, reply) => {
  reply.header('Content-Security-Policy', "${CSP}");
});`,
    koa: `// ${head}
app.use(async (ctx, next) => {
  ctx.set('Content-Security-Policy', "${CSP}");
  await next();
});`,
    hono: `// ${head}
import { secureHeaders } from 'hono/secure-headers';

app.use(
  '*',
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], connectSrc: ["'self'", '${API}'] },
  }),
);`,
    node: `// ${head}
res.setHeader('Content-Security-Policy', "${CSP}");`,
    nextjs: `// ${head}
// next.config.js
module.exports = {
  async headers() {
    return [
      {
        source: '/(.*)',
        headers: [{ key: 'Content-Security-Policy', value: "${CSP}" }],
      },
    ];
  },
};`,
    nginx: `# ${head}
server {
    server_name app.example.com;
    add_header Content-Security-Policy "${CSP}" always;
}`,
    apache: `# ${head}
Header always set Content-Security-Policy "${CSP}"`,
    caddy: `# ${head}
app.example.com {
	header Content-Security-Policy "${CSP}"
}`,
    'cors-doctor': `// ${head}
// cors-doctor's middleware sets CORS on the API; it cannot change the page's CSP. Set connect-src on the
// front end's server as in the other stacks, e.g. with Express:
app.use((req, res, next) => {
  res.setHeader('Content-Security-Policy', "${CSP}");
  next();
});`,
  };
}

/** Mistake 11: call your own back end, which calls the third party server-to-server. */
function proxy(): SnippetSet {
  const head = [
    'Mistake 11: instead of https://cors-anywhere.herokuapp.com/https://thirdparty.example/v1/weather,',
    'the page calls your own /api/weather, and your server calls the third party (no CORS between servers).',
  ];
  const upstream = 'https://thirdparty.example/v1/weather';
  const fetchCode = (
    query: string,
  ) => `const upstream = await fetch(\`${upstream}?city=\${encodeURIComponent(${query})}\`, {
    headers: { Authorization: \`Bearer \${process.env.THIRDPARTY_KEY}\` }, // the key stays on the server
    signal: AbortSignal.timeout(10_000),
  });`;
  return {
    express: `${js(head)}
app.get('/api/weather', async (req, res, next) => {
  try {
    ${fetchCode("String(req.query.city ?? '')")}
    res.status(upstream.status).type(upstream.headers.get('content-type') ?? 'application/json');
    res.send(Buffer.from(await upstream.arrayBuffer()));
  } catch (err) {
    next(err);
  }
});`,
    fastify: `${js(head)}
app.get('/api/weather', async (request, reply) => {
  const { city = '' } = request.query;
  ${fetchCode('city')}
  reply.code(upstream.status).type(upstream.headers.get('content-type') ?? 'application/json');
  return Buffer.from(await upstream.arrayBuffer());
});`,
    koa: `${js(head)}
app.use(async (ctx, next) => {
  if (ctx.method !== 'GET' || ctx.path !== '/api/weather') return next();
  ${fetchCode("String(ctx.query.city ?? '')")}
  ctx.status = upstream.status;
  ctx.type = upstream.headers.get('content-type') ?? 'application/json';
  ctx.body = Buffer.from(await upstream.arrayBuffer());
});`,
    hono: `${js(head)}
app.get('/api/weather', async (c) => {
  ${fetchCode("c.req.query('city') ?? ''")}
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' },
  });
});`,
    node: `${js(head)}
// inside your createServer((req, res) => …) handler:
if (req.method === 'GET' && req.url?.startsWith('/api/weather')) {
  const city = new URL(req.url, 'http://localhost').searchParams.get('city') ?? '';
  ${fetchCode('city')}
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
  return;
}`,
    nextjs: `${js(head)}
// app/api/weather/route.ts
export async function GET(request: Request) {
  const city = new URL(request.url).searchParams.get('city') ?? '';
  ${fetchCode('city')}
  return new Response(upstream.body, {
    status: upstream.status,
    headers: { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' },
  });
}`,
    nginx: `${hash(head)}
location /api/weather {
    proxy_pass ${upstream};
    proxy_set_header Host thirdparty.example;
    proxy_ssl_server_name on;
    proxy_set_header Authorization "Bearer <key from your secrets store>";
}`,
    apache: `${hash(head)}
SSLProxyEngine on
ProxyPass        "/api/weather" "${upstream}"
ProxyPassReverse "/api/weather" "${upstream}"`,
    caddy: `${hash(head)}
app.example.com {
	handle /api/weather {
		rewrite * /v1/weather{query}
		reverse_proxy https://thirdparty.example {
			header_up Host {upstream_hostport}
		}
	}
}`,
    'cors-doctor': `${js(head)}
// cors-doctor's middleware does not proxy. Remove the public proxy, put cors({ origins: [...] }) on the API you
// own (see missing-allow-origin), and for a third-party API proxy the call through your back end as in the
// Express snippet.`,
  };
}

/** Mistake 12: delete the headers from the request; the server configuration is where they belong. */
function frontEnd(): SnippetSet {
  return fromProfile({
    note: [
      'Mistake 12: in the front end, delete every Access-Control-* request header:',
      "  fetch(url, { headers: { 'Access-Control-Allow-Origin': '*' } })  →  fetch(url)",
      'The server answers with them instead:',
    ],
  });
}

function mixedContent(): SnippetSet {
  return {
    nginx: `# Serve the API over https and call it with an https:// URL from the page.
server {
    listen 443 ssl;
    server_name api.example.com;
    ssl_certificate     /etc/ssl/api.example.com/fullchain.pem;
    ssl_certificate_key /etc/ssl/api.example.com/privkey.pem;
    location / { proxy_pass http://127.0.0.1:3000; }
}`,
    apache: `# Serve the API over https and call it with an https:// URL from the page.
<VirtualHost *:443>
    ServerName api.example.com
    SSLEngine on
    SSLCertificateFile    /etc/ssl/api.example.com/fullchain.pem
    SSLCertificateKeyFile /etc/ssl/api.example.com/privkey.pem
    ProxyPass "/" "http://127.0.0.1:3000/"
</VirtualHost>`,
    caddy: `# Caddy gets a certificate and serves https by itself; call https://api.example.com from the page.
api.example.com {
	reverse_proxy 127.0.0.1:3000
}`,
  };
}

const PROFILES: Partial<Record<FindingId, Profile>> = {
  'missing-allow-origin': {
    note: ['Mistake 1: run CORS for every route, before anything that can answer the request.'],
  },
  'origin-not-allowed': {
    note: ["Mistake 1: add the page's exact origin (as its Origin request header shows it) to the list."],
  },
  'wildcard-with-credentials': {
    note: [
      "Mistake 2: with credentials, echo one listed origin instead of '*', and name methods and headers",
      "instead of '*'.",
    ],
  },
  'credentials-not-allowed': {
    note: ["Mistake 2: credentials: true sends 'Access-Control-Allow-Credentials: true' (exactly that)."],
  },
  'preflight-failed-status': {
    note: ['Mistake 3: OPTIONS must be answered 2xx with CORS headers, before routing and authentication.'],
    stackNote: {
      nextjs: ['Export OPTIONS from every route.ts the front end calls with a preflight.'],
      nginx: ['auth_request and proxy_pass must not see the OPTIONS request: answer it in the if block.'],
    },
  },
  'preflight-redirect': {
    note: [
      'Mistake 3: a preflight must not be redirected. Call the final URL (scheme, host, trailing slash)',
      'from the front end, and answer OPTIONS before any redirect or login rule.',
    ],
  },
  'method-not-allowed': {
    note: ['Mistake 3: list every method the front end uses, in upper case.'],
  },
  'header-not-allowed': {
    note: ['Mistake 3: list every request header the front end sets (Authorization explicitly).'],
  },
  'headers-missing-on-errors': {
    note: [
      'Mistake 4: CORS must come before auth, validation and error handling, so 4xx/5xx answers get it.',
    ],
    stackNote: {
      nginx: ['Without "always", add_header skips 4xx and 5xx answers.'],
      apache: ['"Header set" (without always) skips error answers; use "Header always set".'],
    },
  },
  'missing-vary-origin': {
    note: ['Mistake 6: a response whose Allow-Origin depends on the request needs Vary: Origin.'],
  },
  'origin-mismatch': {
    note: [
      'Mistake 7: an origin is scheme://host[:port] — no path, no trailing slash, no default port.',
      'Copy it from the Origin request header in the Network tab.',
    ],
  },
  'localhost-allowed': {
    note: ['Mistake 8: localhost origins only in the development configuration.'],
    envSplit: true,
  },
  'header-not-exposed': {
    note: ['Mistake 9: name every response header the front end reads in the exposed headers.'],
  },
  'origin-reflected': {
    note: ['Echo the Origin only when it is on an explicit list; never echo an unchecked origin back.'],
  },
  'null-origin-allowed': {
    note: ["Never list 'null' as an origin: sandboxed iframes and file: pages all send it."],
  },
  'insecure-origin-allowed': {
    note: ['List only https:// origins in production.'],
  },
  'origin-pattern-bypass': {
    note: [
      'Compare whole origins with equality. A pattern must be anchored with escaped dots:',
      '  /^https:\\/\\/(app|admin)\\.example\\.com$/',
    ],
  },
  'subdomain-trusted': {
    note: ['List the subdomains that host your front ends, instead of trusting *.example.com.'],
  },
};

/** Fix snippets for one id, by stack (empty for ids whose fix is not a server configuration). */
export function snippetsFor(id: FindingId): SnippetSet {
  switch (id) {
    case 'duplicate-cors-headers':
      return duplicates();
    case 'csp-blocks-request':
      return csp();
    case 'cors-proxy-in-use':
      return proxy();
    case 'cors-headers-in-request':
      return frontEnd();
    case 'mixed-content':
      return mixedContent();
    default: {
      const profile = PROFILES[id];
      return profile ? fromProfile(profile) : {};
    }
  }
}
