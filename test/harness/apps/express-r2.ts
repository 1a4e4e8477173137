/**
 * Express 5 + `cors` setups for round 2 of issue 10's corpus (written after the diagnosis changed, from
 * real reports): option names and values as people really pass them, and correct setups a naive tool
 * would flag.
 */
import http from 'node:http';
import cors from 'cors';
import express, { type Request, type Response } from 'express';
import { ADMIN, APP, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type ExpressR2Variant =
  /** `cors({ credentials: true })` without `origin` (expressjs/cors#119): `*` plus credentials. */
  | 'credentials-no-origin'
  /** `origin: process.env.CORS_ORIGINS` holding a JSON array as text (expressjs/cors#249). */
  | 'origin-json-text'
  /** `exposeHeaders` (the option is `exposedHeaders`), so nothing is exposed (expressjs/cors#224). */
  | 'expose-option-typo'
  /** `origin: true` on a public API without credentials, X-Request-Id exposed. */
  | 'reflect-public'
  /** A development server: the Vite dev origin on the list, with credentials. */
  | 'dev-localhost'
  /** The README's `app.options('*', cors())` (Express 5 spelling) before the app's real `cors(options)`. */
  | 'options-default-first';

const data = (_req: Request, res: Response) => {
  res.set('X-Request-Id', REQUEST_ID).type('application/json').send(BODY);
};

export const VITE_DEV = 'http://localhost:5173';

export async function startExpressR2(variant: ExpressR2Variant): Promise<RunningApp> {
  const app = express();
  const strict = {
    origin: [APP, ADMIN],
    credentials: true,
    methods: ['GET', 'PUT', 'DELETE'],
    exposedHeaders: ['X-Request-Id'],
  };
  switch (variant) {
    case 'credentials-no-origin':
      app.use(cors({ credentials: true, exposedHeaders: ['X-Request-Id'] }));
      break;
    case 'origin-json-text':
      // What `origin: process.env.CORS_ORIGINS` gets when the variable holds a JSON array.
      app.use(cors({ origin: JSON.stringify([APP, ADMIN]), credentials: true }));
      break;
    case 'expose-option-typo':
      app.use(cors({ origin: [APP, ADMIN], credentials: true, exposeHeaders: ['X-Request-Id'] } as never));
      break;
    case 'reflect-public':
      app.use(cors({ origin: true, exposedHeaders: ['X-Request-Id'] }));
      break;
    case 'dev-localhost':
      app.use(cors({ ...strict, origin: [VITE_DEV] }));
      break;
    case 'options-default-first':
      app.options('/{*splat}', cors());
      app.use(cors(strict));
      break;
  }
  app.get('/api/data', data);
  app.put('/api/data', data);
  app.delete('/api/data', data);
  return listen(http.createServer(app));
}
