/**
 * JavaScript/TypeScript stacks: Express (cors), Fastify (@fastify/cors), Koa (@koa/cors), Hono
 * (hono/cors), NestJS, Next.js route handlers, plain node:http, cors-doctor's middleware and Cloudflare
 * Workers. Each option block holds only what the case needs (no list left empty), so it is the shortest
 * form that fixes it.
 */
import { type FixCase, jsList, preflightMethods, titleCase } from '../case.ts';
import type { Generator } from '../types.ts';

const headers = (c: FixCase) => c.requestHeaders.map(titleCase);
const extraMethods = (c: FixCase) => c.methods.filter((m) => !['GET', 'HEAD', 'POST'].includes(m));

/** `key: value,` lines for an options object, leaving out what the case does not need. */
function options(
  c: FixCase,
  names: { methods: string; headers: string; expose: string; maxAge?: string },
  indent: string,
  opts: { origin?: string; methods?: string[] } = {},
): string {
  const lines = [
    `origin: ${opts.origin ?? jsList([c.origin])}, // the page's exact origin, echoed back with Vary: Origin`,
  ];
  if (c.credentials) lines.push('credentials: true, // the page sends cookies or HTTP auth');
  lines.push(`${names.methods}: ${jsList(opts.methods ?? c.methods)},`);
  if (c.requestHeaders.length > 0) lines.push(`${names.headers}: ${jsList(headers(c))},`);
  if (c.expose.length > 0) lines.push(`${names.expose}: ${jsList(c.expose)},`);
  lines.push(`${names.maxAge ?? 'maxAge'}: ${c.maxAge},`);
  return lines.map((l) => indent + l).join('\n');
}

const ERRORS_TOO =
  'it then answers every OPTIONS preflight with 204 and its headers stay on 401/404/500 answers too';

export const express: Generator = (c) => ({
  code: `import cors from 'cors';

app.use(
  cors({
${options(c, { methods: 'methods', headers: 'allowedHeaders', expose: 'exposedHeaders' }, '    ')}
  }),
);`,
  where: `Right after \`const app = express()\`, before every other app.use (auth, body parsers, routers) and every route: ${ERRORS_TOO}.`,
  notes: [],
});

export const fastify: Generator = (c) => ({
  code: `import cors from '@fastify/cors';

await app.register(cors, {
${options(c, { methods: 'methods', headers: 'allowedHeaders', expose: 'exposedHeaders' }, '  ')}
});`,
  where:
    'On the root instance (`const app = Fastify()`), before the auth hooks and routes are registered: its onRequest hook answers OPTIONS for every path and its headers stay on error replies. v11 allows only GET, HEAD, POST unless `methods` says more.',
  notes: [],
});

export const koa: Generator = (c) => ({
  code: `import cors from '@koa/cors';

const allowedOrigins = new Set(${jsList([c.origin])});
app.use(
  cors({
${options(
  c,
  { methods: 'allowMethods', headers: 'allowHeaders', expose: 'exposeHeaders' },
  '    ',
  // v5 defaults to '*': answer only a listed origin ('' = no CORS headers).
  { origin: "(ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : '')" },
).replace(
  ", // the page's exact origin, echoed back with Vary: Origin",
  ', // only a listed origin gets headers',
)}
    keepHeadersOnError: true, // keep them on thrown errors (401, 500…)
  }),
);`,
  where: `Right after \`const app = new Koa()\`, as the first app.use, before auth and the router: ${ERRORS_TOO}.`,
  notes: [],
});

export const hono: Generator = (c) => ({
  code: `import { cors } from 'hono/cors';

app.use(
  '*',
  cors({
${options(c, { methods: 'allowMethods', headers: 'allowHeaders', expose: 'exposeHeaders' }, '    ')}
  }),
);`,
  where: `Right after \`const app = new Hono()\`, before every route and auth middleware (app.use('*', …) runs for every path): ${ERRORS_TOO}, including app.onError's.`,
  notes: [],
});

export const nestjs: Generator = (c) => ({
  code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module'; // your root module

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({
${options(c, { methods: 'methods', headers: 'allowedHeaders', expose: 'exposedHeaders' }, '    ')}
  });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();`,
  where:
    "src/main.ts. enableCors() registers the cors middleware before guards, pipes and exception filters, so preflights and errors get the headers; remove any @Header('Access-Control-…') decorators and any second cors() call.",
  notes: [],
});

function fetchCorsHelpers(c: FixCase, ts: boolean): string {
  const set = [
    "  h.set('Access-Control-Allow-Origin', origin);",
    ...(c.credentials ? ["  h.set('Access-Control-Allow-Credentials', 'true');"] : []),
    ...(c.expose.length > 0 ? [`  h.set('Access-Control-Expose-Headers', '${c.expose.join(', ')}');`] : []),
  ];
  const pre = [
    `  h.set('Access-Control-Allow-Methods', '${preflightMethods(c).join(', ')}');`,
    ...(c.requestHeaders.length > 0
      ? [`  h.set('Access-Control-Allow-Headers', '${headers(c).join(', ')}');`]
      : []),
    `  h.set('Access-Control-Max-Age', '${c.maxAge}');`,
  ];
  return `const ALLOWED_ORIGINS = new Set(${jsList([c.origin])});

/** The CORS headers for this request (none for an origin that is not listed); preflight adds the OPTIONS ones. */
function corsHeaders(request${ts ? ': Request' : ''}, preflight = false)${ts ? ': Headers' : ''} {
  const h = new Headers({ Vary: 'Origin' });
  const origin = request.headers.get('Origin');
  if (origin === null || !ALLOWED_ORIGINS.has(origin)) return h;
${set.join('\n')}
  if (preflight) {
${pre.map((l) => `  ${l}`).join('\n')}
  }
  return h;
}`;
}

export const nextjs: Generator = (c) => {
  const method = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(c.methods.at(-1)!)
    ? c.methods.at(-1)!
    : 'GET';
  return {
    code: `${fetchCorsHelpers(c, true)}

// Without this export Next.js answers OPTIONS itself, with no CORS headers.
export function OPTIONS(request: Request) {
  return new Response(null, { status: 204, headers: corsHeaders(request, true) });
}

export async function ${method}(request: Request) {
  const headers = corsHeaders(request); // on every return, errors included
  // … your handler's work; replace the line below with its answer
  return Response.json({ ok: true }, { headers });
}`,
    where: `app${c.path === '/' ? '' : c.path}/route.ts (the route the page calls). Every return passes corsHeaders(request), the 4xx/5xx ones too. Remove any headers() block for Access-Control-* in next.config.js: one layer only.`,
    notes: [],
  };
};

export const cloudflare: Generator = (c) => ({
  code: `${fetchCorsHelpers(c, false)}

export default {
  async fetch(request) {
    if (request.method === 'OPTIONS' && request.headers.has('Access-Control-Request-Method'))
      return new Response(null, { status: 204, headers: corsHeaders(request, true) });
    const upstream = await fetch(request); // your origin server, or the Worker's own answer
    const response = new Response(upstream.body, upstream); // a copy whose headers can change
    // One layer: drop whatever the origin sent, then add ours (on every status).
    for (const name of [...response.headers.keys()])
      if (name.startsWith('access-control-')) response.headers.delete(name);
    for (const [name, value] of corsHeaders(request))
      if (name === 'vary') response.headers.append(name, value);
      else response.headers.set(name, value);
    return response;
  },
};`,
  where:
    "The Worker on the API's route (wrangler.toml `routes`), in front of the origin. If the origin keeps its own CORS, delete this Worker instead: one layer only. Cache Rules: include the Origin header in the cache key, or bypass cache for the API.",
  notes: [],
});

export const node: Generator = (c) => ({
  code: `const ALLOWED_ORIGINS = new Set(${jsList([c.origin])});

/** Sets the CORS headers; true when it answered a preflight (then the caller returns). */
function applyCors(req, res) {
  res.appendHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  const allowed = origin !== undefined && ALLOWED_ORIGINS.has(origin);
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
${c.credentials ? "    res.setHeader('Access-Control-Allow-Credentials', 'true');\n" : ''}${c.expose.length > 0 ? `    res.setHeader('Access-Control-Expose-Headers', '${c.expose.join(', ')}');\n` : ''}  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', '${preflightMethods(c).join(', ')}');
${c.requestHeaders.length > 0 ? `    res.setHeader('Access-Control-Allow-Headers', '${headers(c).join(', ')}');\n` : ''}    res.setHeader('Access-Control-Max-Age', '${c.maxAge}');
  }
  res.writeHead(204).end();
  return true;
}`,
  where:
    'First line of the handler given to http.createServer: `if (applyCors(req, res)) return;`, before authentication and routing, so every status carries the headers. (res.appendHeader needs Node 18.3+.)',
  notes: [],
});

export const corsDoctor: Generator = (c) => {
  const lines = [`origins: ${jsList([c.origin])},`];
  if (c.credentials) lines.push('credentials: true,');
  if (extraMethods(c).length > 0)
    lines.push(`methods: ${jsList(extraMethods(c))}, // beyond GET, HEAD, POST`);
  if (c.requestHeaders.length > 0) lines.push(`allowedHeaders: ${jsList(c.requestHeaders)},`);
  if (c.expose.length > 0) lines.push(`exposedHeaders: ${jsList(c.expose.map((h) => h.toLowerCase()))},`);
  lines.push(`maxAge: ${c.maxAge},`);
  return {
    code: `import { cors } from 'cors-doctor/node';

app.use(
  cors({
${lines.map((l) => `    ${l}`).join('\n')}
  }),
);`,
    where:
      "Express/Connect: the first app.use, before auth and routes. node:http: `const corsMw = cors({…})` then `corsMw(req, res, () => handler(req, res))`. Fastify, Koa and fetch-style apps (Hono, Workers): the same options with 'cors-doctor/fastify', 'cors-doctor/koa' or 'cors-doctor/fetch'. It refuses a dangerous configuration at start-up and sets Vary itself.",
    notes: [],
  };
};
