/**
 * More Express 5 + `cors` setups from real reports (issue 10's corpus): middleware order, Express 5's
 * path syntax, body parsing and error handlers in front of cors(), static files, origin typos.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cors, { type CorsOptions } from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type ExpressMoreVariant =
  /** cors() per route, plus Express 5's spelling of the old `app.options('*', cors())`: '/*splat'. */
  | 'options-splat'
  /** `express.json()` before `cors()`: a malformed body is answered 400 before cors runs. */
  | 'json-before-cors'
  /** `requireAuth` before cors() on the route; the app's error handler answers 401 without CORS. */
  | 'error-handler-before-cors'
  /** cors() first; the error handler answers 401/500 and keeps the headers cors() set. */
  | 'error-handler-after-cors'
  /** `express.static` mounted before cors(): static files go out without CORS headers. */
  | 'static-before-cors'
  /** cors() before `express.static`: files and their 404s carry the headers. */
  | 'static-after-cors'
  /** `origin: 'https://App.MyShop.test'` (a fixed string, sent as is). */
  | 'origin-case-string'
  /** `origin: ['https://App.MyShop.test']` (compared exactly, so the real origin never matches). */
  | 'origin-case-array'
  /** `origin: [/myshop\.test$/]`: unanchored at the start, any scheme. */
  | 'regex-array-unanchored'
  /** `origin: [/^https:\/\/(app|admin)\.myshop\.test$/]`: anchored, https only. */
  | 'regex-anchored'
  /** Compression-style `Vary: Accept-Encoding` set before cors() appends Origin. */
  | 'vary-accept-encoding'
  /** The classic hand-written middleware: `*` and a fixed Allow-Headers list without Authorization. */
  | 'handwritten-star'
  /** Hand-written allow-list echo without `Vary: Origin` on a publicly cacheable response. */
  | 'handwritten-echo-no-vary'
  /** `app.use(cors())` after the routes: only requests no route answers (OPTIONS, 404) get it. */
  | 'cors-after-routes'
  /** The cors README's allow-list callback: `callback(new Error('Not allowed by CORS'))` otherwise. */
  | 'origin-callback-error';

const data = (_req: Request, res: Response) => {
  res.set('X-Request-Id', REQUEST_ID).type('application/json').send(BODY);
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function requireAuth(req: Request, _res: Response, next: NextFunction) {
  next(authenticated(req.headers) ? undefined : new HttpError(401, 'login required'));
}

const errorHandler = (err: Error, _req: Request, res: Response, _next: NextFunction) => {
  // body-parser's errors carry their status (400 for a malformed body), like HttpError.
  const status = (err as { status?: number }).status ?? 500;
  res.status(status).json({ error: err.message });
};

export async function startExpressMore(variant: ExpressMoreVariant): Promise<RunningApp> {
  const app = express();
  const good: CorsOptions = { origin: [APP], credentials: true, exposedHeaders: ['X-Request-Id'] };
  let cleanup = async () => {};
  const routes = () => {
    app.get('/api/data', data);
    app.put('/api/data', data);
    app.delete('/api/data', data);
    app.get('/api/private', requireAuth, data);
  };
  const staticDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cors-doctor-static-'));
    await writeFile(join(dir, 'catalog.json'), BODY);
    cleanup = () => rm(dir, { recursive: true, force: true });
    return dir;
  };
  switch (variant) {
    case 'options-splat': {
      // Express 5 throws "Missing parameter name" for '*'; '/*splat' is the migration guide's spelling.
      app.options('/*splat', cors(good));
      app.get('/api/data', cors(good), data);
      app.put('/api/data', cors(good), data);
      break;
    }
    case 'json-before-cors':
      app.use(express.json());
      app.use(cors(good));
      routes();
      break;
    case 'error-handler-before-cors':
      app.options('/*splat', cors(good));
      app.get('/api/data', cors(good), data);
      app.get('/api/private', requireAuth, cors(good), data);
      break;
    case 'error-handler-after-cors':
      app.use(cors(good));
      routes();
      app.get('/api/boom', () => {
        throw new Error('database down');
      });
      break;
    case 'static-before-cors':
      app.use('/assets', express.static(await staticDir()));
      app.use(cors(good));
      routes();
      break;
    case 'static-after-cors':
      app.use(cors(good));
      app.use('/assets', express.static(await staticDir()));
      routes();
      break;
    case 'origin-case-string':
      app.use(cors({ ...good, origin: 'https://App.MyShop.test' }));
      routes();
      break;
    case 'origin-case-array':
      app.use(cors({ ...good, origin: ['https://App.MyShop.test'] }));
      routes();
      break;
    case 'regex-array-unanchored':
      app.use(cors({ ...good, origin: [/myshop\.test$/] }));
      routes();
      break;
    case 'regex-anchored':
      app.use(cors({ ...good, origin: [/^https:\/\/(app|admin)\.myshop\.test$/] }));
      routes();
      break;
    case 'vary-accept-encoding':
      app.use((_req, res, next) => {
        res.set('Vary', 'Accept-Encoding');
        next();
      });
      app.use(cors(good));
      routes();
      break;
    case 'handwritten-star':
      app.use((_req, res, next) => {
        res.header('Access-Control-Allow-Origin', '*');
        res.header('Access-Control-Allow-Headers', 'Origin, X-Requested-With, Content-Type, Accept');
        next();
      });
      routes();
      break;
    case 'handwritten-echo-no-vary':
      app.use((req, res, next) => {
        if (req.headers.origin === APP) {
          res.header('Access-Control-Allow-Origin', req.headers.origin);
          res.header('Access-Control-Allow-Credentials', 'true');
          res.header('Access-Control-Expose-Headers', 'X-Request-Id');
        }
        if (req.method === 'OPTIONS') {
          res.header('Access-Control-Allow-Methods', 'GET, PUT, DELETE');
          res.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
          return res.sendStatus(204);
        }
        res.header('Cache-Control', 'public, max-age=300');
        next();
      });
      routes();
      break;
    case 'cors-after-routes':
      routes();
      app.use(cors(good));
      break;
    case 'origin-callback-error':
      app.use(
        cors({
          ...good,
          origin: (origin, callback) => {
            if (origin === APP) callback(null, true);
            else callback(new Error('Not allowed by CORS'));
          },
        }),
      );
      routes();
      break;
  }
  app.use(errorHandler);
  const running = await listen(http.createServer(app));
  return {
    base: running.base,
    close: async () => {
      await running.close();
      await cleanup();
    },
  };
}
