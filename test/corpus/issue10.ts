/**
 * The cases issue 10 reported from trying `check` on servers built the way people build them: the
 * page's own request failing on an error path, a preflight answered by the framework, an allow-list in
 * capitals, a shared cache mixing origins, an exposed header absent from an error, the project's own
 * middleware refusing a method. Each server is the real framework on loopback.
 */
import http from 'node:http';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import Koa from 'koa';
import { cors as ourCors } from '../../src/middleware/adapters/node.ts';
import { APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from '../harness/apps/common.ts';
import type { StackCorpus } from './case.ts';

const good = { origin: [APP], credentials: true, exposedHeaders: ['X-Request-Id'] };
const data = (_req: Request, res: Response) => {
  res.set('X-Request-Id', REQUEST_ID).type('application/json').send(BODY);
};
function auth(req: Request, res: Response, next: NextFunction) {
  if (authenticated(req.headers)) return next();
  res.status(401).json({ error: 'login required' });
}

/** The Stack Overflow pattern: preflights answered first, then authentication, then cors() for the rest. */
function expressOptionsFirst(): Promise<RunningApp> {
  const app = express();
  app.options('/{*any}', cors(good));
  app.use(auth);
  app.use(cors(good));
  app.all('/api/data', data);
  return listen(http.createServer(app));
}

/** cors() attached to the GET route only: Express answers OPTIONS itself (200, Allow: GET, HEAD). */
function expressGetOnly(): Promise<RunningApp> {
  const app = express();
  app.get('/api/data', cors(good), data);
  app.put('/api/data', data);
  return listen(http.createServer(app));
}

/** An allow-list written with capitals: `cors` compares strings exactly, so the browser's never matches. */
function expressCapitals(): Promise<RunningApp> {
  const app = express();
  app.use(cors({ ...good, origin: ['https://App.Myshop.test'] }));
  app.all('/api/data', data);
  return listen(http.createServer(app));
}

/** A correct server whose validation answers 400 (no X-Request-Id) with the CORS headers. */
function expressValidating(): Promise<RunningApp> {
  const app = express();
  app.use(cors(good));
  app.post('/api/orders', express.json(), (req, res) => {
    if (!req.body || typeof req.body.qty !== 'number') {
      res.status(400).json({ error: 'qty required' });
      return;
    }
    res.set('X-Request-Id', REQUEST_ID).status(201).json({ ok: true });
  });
  return listen(http.createServer(app));
}

/** Hand-written Koa CORS set before `await next()`: ctx.throw(404) makes Koa replace the headers. */
function koaHandWritten(): Promise<RunningApp> {
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.get('Origin') === APP) {
      ctx.set('Access-Control-Allow-Origin', APP);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.set('Vary', 'Origin');
    }
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, PUT, DELETE');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      ctx.status = 204;
      return;
    }
    await next();
  });
  app.use(async (ctx) => {
    if (ctx.path !== '/api/data') ctx.throw(404, 'no such resource');
    ctx.set('X-Request-Id', REQUEST_ID);
    ctx.type = 'application/json';
    ctx.body = BODY;
  });
  return listen(http.createServer(app.callback()));
}

/** A hand-made node:http handler that adds CORS on the success path only. */
function nodeSuccessOnly(): Promise<RunningApp> {
  return listen(
    http.createServer((req, res) => {
      const origin = req.headers.origin;
      const cors = (): void => {
        if (origin === APP) {
          res.setHeader('Access-Control-Allow-Origin', APP);
          res.setHeader('Vary', 'Origin');
        }
      };
      if (req.method === 'OPTIONS') {
        cors();
        res.setHeader('Access-Control-Allow-Methods', 'GET, PUT');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.writeHead(204).end();
        return;
      }
      if (req.url !== '/api/data') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      cors();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(BODY);
    }),
  );
}

/** The project's own middleware, given no methods: it refuses a PUT preflight with 403 by design. */
function ourMiddlewareNoPut(): Promise<RunningApp> {
  const mw = ourCors({ origins: [APP], credentials: true });
  return listen(
    http.createServer((req, res) => {
      mw(req, res, () => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(BODY);
      });
    }),
  );
}

export const corpora: StackCorpus[] = [
  {
    stack: 'express',
    cases: [
      {
        name: 'express: app.options() before auth, cors() after it; the page’s GET without a session gets 401',
        source: 'https://stackoverflow.com/questions/42589882 (the options-first pattern)',
        start: expressOptionsFirst,
        request: { credentials: 'include' },
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'error' },
        allowed: false,
        round: 2,
      },
      {
        name: 'express: cors() on the GET route only, JSON PUT preflight answered by Express',
        source: 'issue 10 (cors() attached to one route; Express answers OPTIONS with Allow)',
        start: expressGetOnly,
        request: { method: 'PUT', headers: [['Content-Type', 'application/json']] },
        expect: ['preflight-failed-status'],
        allowed: false,
        round: 2,
      },
      {
        name: 'express: allow-list written https://App.Myshop.test',
        source: 'issue 10 (an allow-list in capitals; the browser sends lower case)',
        start: expressCapitals,
        expect: ['origin-mismatch'],
        allowed: false,
        round: 2,
      },
      {
        name: 'express: correct server, a body-less POST gets 400 without X-Request-Id (exposed)',
        source: 'issue 10 (exposed but absent on an error is not mistake 9)',
        start: expressValidating,
        path: '/api/orders',
        request: { method: 'POST', headers: [['Content-Type', 'application/json']], credentials: 'include' },
        expose: ['X-Request-Id'],
        expect: ['header-not-exposed'],
        severity: { 'header-not-exposed': 'info' },
        correct: true,
        round: 2,
      },
    ],
  },
  {
    stack: 'koa',
    cases: [
      {
        name: 'koa: hand-written CORS before next(), ctx.throw(404) replaces the headers',
        source: 'https://github.com/koajs/koa/issues/1042 (headers lost on ctx.throw)',
        start: koaHandWritten,
        path: '/api/missing',
        request: { credentials: 'include' },
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'error' },
        allowed: false,
        round: 2,
      },
    ],
  },
  {
    stack: 'node',
    cases: [
      {
        name: 'node: hand-made handler adds CORS on success only, the page asks a missing path',
        source: 'issue 10 (a 404 written by a hand-made handler)',
        start: nodeSuccessOnly,
        path: '/api/missing',
        expect: ['headers-missing-on-errors'],
        severity: { 'headers-missing-on-errors': 'error' },
        allowed: false,
        round: 2,
      },
    ],
  },
  {
    stack: 'cors-doctor',
    cases: [
      {
        name: 'cors-doctor: methods not given, the page PUTs (403 preflight by design)',
        source: 'issue 10 (the project’s own middleware refusing a method is not authentication)',
        start: ourMiddlewareNoPut,
        request: { method: 'PUT', credentials: 'include' },
        expect: ['method-not-allowed'],
        allowed: false,
        round: 2,
      },
      {
        name: 'cors-doctor: allowedHeaders not given, the page sends Authorization',
        source: 'issue 10',
        start: ourMiddlewareNoPut,
        request: { method: 'GET', headers: [['Authorization', 'Bearer t0k3n']], credentials: 'include' },
        expect: ['header-not-allowed'],
        allowed: false,
        round: 2,
      },
      {
        name: 'cors-doctor: PUT with Authorization, neither allowed',
        source: 'issue 10',
        start: ourMiddlewareNoPut,
        request: { method: 'PUT', headers: [['Authorization', 'Bearer t0k3n']], credentials: 'include' },
        expect: ['method-not-allowed'],
        allowed: false,
        round: 2,
      },
    ],
  },
];
