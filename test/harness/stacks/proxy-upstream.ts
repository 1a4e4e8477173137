/**
 * The app behind the proxies (Apache, Caddy, HAProxy, Varnish, nginx): plain node:http with the corpus's
 * resource shape (GET/PUT/DELETE /api/data → BODY + X-Request-Id, /api/private needs auth → 401 JSON,
 * anything else 404 JSON), and its own CORS switched on or off, so each case decides which layer adds
 * the headers. Without CORS it answers OPTIONS as Express does (200 with `Allow:`).
 */
import http from 'node:http';
import { ADMIN, APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from '../apps/common.ts';

export interface UpstreamOptions {
  /**
   * none: no CORS at all; allow-list: APP and ADMIN echoed with credentials, X-Request-Id exposed,
   * preflights answered 204 (what the cors package does); star: `*`, no credentials.
   */
  cors: 'none' | 'allow-list' | 'star';
  /**
   * With cors allow-list: the Vary value (default `Origin`), false for none, or `when-allowed`:
   * `Vary: Origin` only on responses that allow the origin (expressjs/cors#106's behaviour).
   */
  vary?: boolean | string;
  /** A Cache-Control for the 200s (e.g. public, max-age=600 for the shared-cache cases). */
  cacheControl?: string;
}

const ALLOWED = [APP, ADMIN];

export function startUpstream(opts: UpstreamOptions): Promise<RunningApp> {
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    const path = (req.url ?? '/').split('?')[0];
    if (opts.cors === 'star') {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    } else if (opts.cors === 'allow-list' && origin !== undefined && ALLOWED.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    }
    const allowed = origin !== undefined && ALLOWED.includes(origin);
    if (opts.cors === 'allow-list' && opts.vary !== false && (opts.vary !== 'when-allowed' || allowed))
      res.setHeader(
        'Vary',
        typeof opts.vary === 'string' && opts.vary !== 'when-allowed' ? opts.vary : 'Origin',
      );
    const json = (status: number, body: string) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(body);
    };
    if (req.method === 'OPTIONS') {
      if (opts.cors !== 'none' && req.headers['access-control-request-method'] !== undefined) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, DELETE');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
        res.setHeader('Access-Control-Max-Age', '600');
        res.statusCode = 204;
        return res.end();
      }
      res.setHeader('Allow', 'GET, HEAD, PUT, DELETE');
      return json(200, 'GET,HEAD,PUT,DELETE');
    }
    if (path === '/api/private' && !authenticated(req.headers))
      return json(401, JSON.stringify({ error: 'login required' }));
    if (path === '/api/data' || path === '/api/private') {
      if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method ?? ''))
        return json(405, '{"error":"method"}');
      res.setHeader('X-Request-Id', REQUEST_ID);
      if (opts.cacheControl) res.setHeader('Cache-Control', opts.cacheControl);
      return json(200, BODY);
    }
    return json(404, JSON.stringify({ error: 'not found' }));
  });
  return listen(server);
}

/** Starts `upstream`, then the proxy in front of it; closing stops both (the proxy first). */
export function behind(
  upstream: () => Promise<RunningApp>,
  proxy: (upstreamBase: string) => Promise<RunningApp>,
): () => Promise<RunningApp> {
  return async () => {
    const up = await upstream();
    try {
      const front = await proxy(up.base);
      return {
        base: front.base,
        close: async () => {
          await front.close();
          await up.close();
        },
      };
    } catch (e) {
      await up.close();
      throw e;
    }
  };
}

/** host:port of a base URL (for proxy configs that want no scheme). */
export function hostPort(base: string): string {
  return new URL(base).host;
}
