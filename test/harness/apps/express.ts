/** Express 5 with the `cors` package, configured right and with the catalog's mistakes. */
import http from 'node:http';
import cors, { type CorsOptions } from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN, APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type ExpressVariant =
  | 'correct'
  | 'no-cors'
  | 'trailing-slash'
  | 'wildcard-credentials'
  | 'reflect-credentials'
  | 'auth-before-cors'
  | 'localhost-left-in'
  | 'per-route-cors'
  | 'methods-short'
  | 'headers-short'
  | 'not-exposed'
  | 'regex-unanchored'
  | 'null-allowed'
  | 'other-origin-only'
  /** `cors()` with its defaults: `*`, no credentials — right for a public API. */
  | 'public-api'
  /** No CORS, authentication in front of everything: for a proxy that adds the CORS headers. */
  | 'auth-only';

const data = (_req: Request, res: Response) => {
  res.set('X-Request-Id', REQUEST_ID).type('application/json').send(BODY);
};

function auth(req: Request, res: Response, next: NextFunction) {
  if (authenticated(req.headers)) return next();
  res.status(401).json({ error: 'login required' });
}

export async function startExpress(variant: ExpressVariant): Promise<RunningApp> {
  const app = express();
  const good: CorsOptions = { origin: [APP], credentials: true, exposedHeaders: ['X-Request-Id'] };
  const use = (o: CorsOptions) => app.use(cors(o));
  switch (variant) {
    case 'correct':
      use(good);
      app.use('/api/private', auth);
      break;
    case 'no-cors':
      break;
    case 'trailing-slash':
      use({ ...good, origin: [`${APP}/`] });
      break;
    case 'wildcard-credentials':
      use({ origin: '*', credentials: true });
      break;
    case 'reflect-credentials':
      use({ origin: true, credentials: true, exposedHeaders: ['X-Request-Id'] });
      break;
    case 'auth-before-cors':
      app.use(auth);
      use(good);
      break;
    case 'localhost-left-in':
      use({ ...good, origin: [APP, 'http://localhost:3000'] });
      break;
    case 'per-route-cors':
      app.get('/api/data', cors(good), data);
      app.put('/api/data', cors(good), data);
      break;
    case 'methods-short':
      use({ ...good, methods: ['GET', 'POST'] });
      break;
    case 'headers-short':
      use({ ...good, allowedHeaders: ['Content-Type'] });
      break;
    case 'not-exposed':
      use({ origin: [APP] });
      break;
    case 'regex-unanchored':
      use({ ...good, origin: /myshop\.test$/ });
      break;
    case 'null-allowed':
      use({ ...good, origin: [APP, 'null'] });
      break;
    case 'public-api':
      use({});
      break;
    case 'auth-only':
      app.use(auth);
      break;
    case 'other-origin-only':
      use({ ...good, origin: [ADMIN] });
      break;
  }
  app.all('/api/data', data);
  app.all('/api/private', data);
  return listen(http.createServer(app));
}
