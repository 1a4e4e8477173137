/**
 * One conformance table, run identically against every adapter (node:http, Express, Fastify both
 * register forms, Koa, Hono on @hono/node-server, a plain fetch handler behind a node:http bridge),
 * over real servers on 127.0.0.1. Each row: a request, the expected status (where the middleware
 * decides it) and what must and must not be in the response headers, duplicates counted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CorsOptions } from '../../src/middleware/core/index.ts';
import {
  ADAPTERS,
  type AdapterName,
  type RunningApp,
  send,
  startApp,
  values,
  varyTokens,
  type WireResult,
} from './apps.ts';

const APP = 'https://app.example.com';
const SUB = 'https://a.b.example.org';

const POLICIES = {
  listed: {
    origins: [APP, 'https://*.example.org'],
    credentials: true,
    methods: ['PUT'],
    allowedHeaders: ['authorization', 'content-type'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  },
  public: { origins: '*', methods: ['PUT'], allowedHeaders: ['*'], exposedHeaders: ['x-request-id'] },
  debug: {
    origins: [APP],
    credentials: true,
    methods: ['PUT'],
    allowedHeaders: ['content-type'],
    debug: true,
  },
} satisfies Record<string, CorsOptions>;
type PolicyName = keyof typeof POLICIES;

interface Row {
  name: string;
  policy: PolicyName;
  method: string;
  path: string;
  headers?: Record<string, string>;
  status?: number;
  /** Exact single-line values required. */
  has?: Record<string, string>;
  /** Headers that must be absent. */
  lacks?: string[];
  /** Vary tokens (lower case) that must be present / absent. */
  vary?: string[];
  noVary?: string[];
  body?: string;
  /** Expected decision event (last one recorded). */
  event?: { outcome: 'allowed' | 'rejected'; reason: string | null; header?: string };
}

const pre = (origin: string, method: string, acrh?: string) => ({
  origin,
  'access-control-request-method': method,
  ...(acrh === undefined ? {} : { 'access-control-request-headers': acrh }),
});
const ALL_CORS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
];

const ROWS: Row[] = [
  // --- listed origins, credentials ---
  {
    name: 'no Origin: not CORS, but Vary: Origin for caches',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    status: 200,
    lacks: ALL_CORS,
    vary: ['origin'],
  },
  {
    name: 'allowed origin, actual request',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: APP },
    status: 200,
    has: {
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      'x-request-id': 'r1',
    },
    lacks: ['access-control-allow-methods', 'access-control-max-age'],
    vary: ['origin'],
    body: 'ok',
    event: { outcome: 'allowed', reason: null },
  },
  {
    name: 'subdomain pattern matches a deeper subdomain',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: SUB },
    status: 200,
    has: { 'access-control-allow-origin': SUB },
    vary: ['origin'],
  },
  {
    name: 'suffix look-alike is refused (evil-example.org)',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'https://evil-example.org' },
    status: 200,
    lacks: ALL_CORS,
    vary: ['origin'],
    event: { outcome: 'rejected', reason: 'origin-not-allowed' },
  },
  {
    name: 'bare domain is not a subdomain (https://example.org)',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'https://example.org' },
    lacks: ALL_CORS,
  },
  {
    name: 'http variant of an https origin is refused',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'http://app.example.com' },
    lacks: ALL_CORS,
  },
  {
    name: "Origin 'null' is refused",
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'null' },
    lacks: ALL_CORS,
    vary: ['origin'],
  },
  {
    name: 'disallowed origin: request still served, no CORS headers',
    policy: 'listed',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'https://evil.test' },
    status: 200,
    body: 'ok',
    lacks: ALL_CORS,
    vary: ['origin'],
    event: { outcome: 'rejected', reason: 'origin-not-allowed' },
  },
  {
    name: 'preflight allowed: 204, grant echoes only what was asked',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'PUT', 'authorization,content-type'),
    status: 204,
    has: {
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '600',
    },
    vary: ['origin', 'access-control-request-method', 'access-control-request-headers'],
    body: '',
    event: { outcome: 'allowed', reason: null },
  },
  {
    name: 'preflight for a route that does not exist is still answered (before routing)',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/nowhere',
    headers: pre(APP, 'PUT'),
    status: 204,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-methods': 'PUT' },
  },
  {
    name: 'preflight to an authenticated route is answered before auth (no 401)',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/auth',
    headers: pre(APP, 'PUT', 'authorization'),
    status: 204,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-headers': 'authorization' },
  },
  {
    name: 'preflight with a safelisted method needs no Allow-Methods',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'GET', 'content-type'),
    status: 204,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-headers': 'content-type' },
    lacks: ['access-control-allow-methods'],
  },
  {
    name: 'preflight from a disallowed origin: 403, nothing leaked',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre('https://evil.test', 'PUT', 'authorization'),
    status: 403,
    lacks: ALL_CORS,
    vary: ['origin'],
    body: '',
    event: { outcome: 'rejected', reason: 'origin-not-allowed' },
  },
  {
    name: 'preflight for a method not allowed: 403',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'DELETE'),
    status: 403,
    lacks: ALL_CORS,
    event: { outcome: 'rejected', reason: 'method-not-allowed' },
  },
  {
    name: "preflight method compare is case-sensitive ('put' is not 'PUT')",
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'put'),
    status: 403,
    lacks: ALL_CORS,
  },
  {
    name: 'preflight for a header not allowed: 403, event names the header',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'PUT', 'content-type,x-secret'),
    status: 403,
    lacks: ALL_CORS,
    event: { outcome: 'rejected', reason: 'header-not-allowed', header: 'x-secret' },
  },
  {
    name: 'adversarial Access-Control-Request-Headers (12 KB, 6000 names) refused cheaply',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'PUT', 'a,'.repeat(6000)),
    status: 403,
    lacks: ALL_CORS,
    event: { outcome: 'rejected', reason: 'header-not-allowed' },
  },
  {
    name: 'malformed Access-Control-Request-Headers refused, never echoed',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'PUT', 'content-type;x=1'),
    status: 403,
    lacks: ALL_CORS,
  },
  {
    name: 'OPTIONS without Access-Control-Request-Method is not a preflight: passed on',
    policy: 'listed',
    method: 'OPTIONS',
    path: '/ok',
    headers: { origin: APP },
    has: { 'access-control-allow-origin': APP },
    lacks: ['access-control-allow-methods', 'access-control-max-age'],
    vary: ['origin'],
  },
  {
    name: 'thrown error → 500 still carries the headers',
    policy: 'listed',
    method: 'GET',
    path: '/throw',
    headers: { origin: APP },
    status: 500,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    vary: ['origin'],
  },
  {
    name: 'router 404 still carries the headers',
    policy: 'listed',
    method: 'GET',
    path: '/missing',
    headers: { origin: APP },
    status: 404,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    vary: ['origin'],
  },
  {
    name: 'auth middleware answering 401 still carries the headers',
    policy: 'listed',
    method: 'GET',
    path: '/auth',
    headers: { origin: APP },
    status: 401,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    vary: ['origin'],
  },
  {
    name: 'authenticated actual PUT with credentials',
    policy: 'listed',
    method: 'PUT',
    path: '/auth',
    headers: { origin: APP, authorization: 'Bearer t' },
    status: 200,
    has: { 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true' },
    body: 'ok',
  },
  {
    name: 'a handler replacing Vary does not drop Origin',
    policy: 'listed',
    method: 'GET',
    path: '/vary-set',
    headers: { origin: APP },
    status: 200,
    vary: ['accept-encoding', 'origin'],
  },
  {
    name: 'a second CORS layer in the handler cannot produce two Allow-Origin values',
    policy: 'listed',
    method: 'GET',
    path: '/acao-set',
    headers: { origin: APP },
    status: 200,
    has: { 'access-control-allow-origin': APP },
  },
  // --- public API: '*' ---
  {
    name: "'*' policy: every response gets Allow-Origin *, no Vary: Origin",
    policy: 'public',
    method: 'GET',
    path: '/ok',
    status: 200,
    has: { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id' },
    lacks: ['access-control-allow-credentials'],
    noVary: ['origin'],
  },
  {
    name: "'*' policy: cross-origin request",
    policy: 'public',
    method: 'GET',
    path: '/ok',
    headers: { origin: 'https://any.test' },
    status: 200,
    has: { 'access-control-allow-origin': '*' },
    lacks: ['access-control-allow-credentials'],
    noVary: ['origin'],
  },
  {
    name: "'*' policy: 404 keeps Allow-Origin",
    policy: 'public',
    method: 'GET',
    path: '/missing',
    headers: { origin: 'https://any.test' },
    status: 404,
    has: { 'access-control-allow-origin': '*' },
  },
  {
    name: "'*' policy: preflight with custom headers",
    policy: 'public',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre('https://any.test', 'PUT', 'x-anything'),
    status: 204,
    has: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x-anything',
    },
    vary: ['access-control-request-method', 'access-control-request-headers'],
    noVary: ['origin'],
  },
  {
    name: "'*' in allowedHeaders never covers Authorization (Fetch)",
    policy: 'public',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre('https://any.test', 'PUT', 'authorization'),
    status: 403,
    lacks: ALL_CORS,
    event: { outcome: 'rejected', reason: 'header-not-allowed', header: 'authorization' },
  },
  // --- debug mode ---
  {
    name: 'debug: method refused with 204 + Allow-Origin, so the console names the method',
    policy: 'debug',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'DELETE'),
    status: 204,
    has: {
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'cors-doctor-reason': 'method-not-allowed',
    },
    lacks: ['access-control-allow-methods'],
  },
  {
    name: 'debug: header refused likewise',
    policy: 'debug',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre(APP, 'PUT', 'x-secret'),
    status: 204,
    has: { 'access-control-allow-origin': APP, 'cors-doctor-reason': 'header-not-allowed' },
    lacks: ['access-control-allow-headers'],
  },
  {
    name: 'debug: a foreign origin still gets nothing but the reason',
    policy: 'debug',
    method: 'OPTIONS',
    path: '/ok',
    headers: pre('https://evil.test', 'PUT'),
    status: 403,
    has: { 'cors-doctor-reason': 'origin-not-allowed' },
    lacks: ALL_CORS,
  },
];

function check(row: Row, r: WireResult, app: RunningApp): void {
  const where = `${row.method} ${row.path}`;
  if (row.status !== undefined) assert.equal(r.status, row.status, `${where}: status`);
  // Never two lines (or a comma-joined pair) for any CORS header.
  for (const name of [...ALL_CORS, 'vary'])
    assert.ok(
      values(r, name).length <= 1,
      `${where}: ${name} appears ${values(r, name).length} times: ${values(r, name).join(' | ')}`,
    );
  for (const [name, value] of Object.entries(row.has ?? {}))
    assert.deepEqual(values(r, name), [value], `${where}: ${name}`);
  for (const name of row.lacks ?? [])
    assert.deepEqual(values(r, name), [], `${where}: ${name} must be absent`);
  const vary = varyTokens(r);
  for (const t of row.vary ?? [])
    assert.ok(vary.includes(t), `${where}: Vary ${JSON.stringify(vary)} lacks ${t}`);
  for (const t of row.noVary ?? [])
    assert.ok(!vary.includes(t), `${where}: Vary ${JSON.stringify(vary)} must not have ${t}`);
  assert.equal(new Set(vary).size, vary.length, `${where}: duplicate Vary tokens ${JSON.stringify(vary)}`);
  if (row.body !== undefined) assert.equal(r.body, row.body, `${where}: body`);
  if (row.event) {
    const last = app.events.at(-1);
    assert.ok(last, `${where}: no decision event`);
    assert.equal(last.outcome, row.event.outcome);
    assert.equal(last.reason, row.event.reason);
    if (row.event.header) assert.equal(last.header, row.event.header);
  }
}

for (const adapter of ADAPTERS) {
  describe(`conformance: ${adapter}`, () => {
    const apps = new Map<PolicyName, RunningApp>();
    before(async () => {
      for (const name of Object.keys(POLICIES) as PolicyName[])
        apps.set(name, await startApp(adapter as AdapterName, POLICIES[name]));
    });
    after(async () => {
      for (const app of apps.values()) await app.close();
    });
    for (const row of ROWS) {
      test(row.name, async () => {
        const app = apps.get(row.policy)!;
        app.events.length = 0;
        const r = await send(app.url, row.method, row.path, row.headers);
        check(row, r, app);
        if (row.event === undefined && row.headers?.origin === undefined)
          assert.equal(app.events.length, 0, 'no event for a non-CORS request');
      });
    }
  });
}
