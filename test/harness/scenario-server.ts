/**
 * The scenario server: three loopback origins (page, api, third: 127.0.0.1 on three ports) that answer
 * each scenario EXACTLY as scripted (status, header lines in order with duplicates and exact case,
 * Latin-1 bytes, redirects) and record every request they receive (method, path, raw header lines).
 *
 * Each scenario run gets its own path prefix `/r/<runId>` so neither Chromium's preflight cache nor its
 * HTTP cache can carry an answer from one run into another. Header values may use placeholders:
 * `{page}`, `{api}`, `{third}` (origins), `{pageport}` and `{run}` (the `/r/<runId>` prefix).
 *
 * `scriptedResponse` is pure and shared with the model side of the differential tests: the model sees
 * byte-for-byte the header list the server writes (including Content-Length and the keep-alive lines
 * Node would otherwise add on its own).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OriginName = 'page' | 'api' | 'third';

export interface ScriptedResponse {
  status: number;
  statusText?: string;
  headers: [string, string][];
  body?: string;
  /** Close the connection without any response (a network error: net::ERR_EMPTY_RESPONSE). */
  hangUp?: boolean;
}

export interface Route {
  /** Default 'api'. */
  origin?: OriginName;
  method: string;
  /** Path after the run prefix, e.g. `/data`. */
  path: string;
  response: ScriptedResponse;
}

export interface ReceivedRequest {
  origin: OriginName;
  method: string;
  /** Path after the run prefix, query included. */
  path: string;
  headers: [string, string][];
  /** True when no route matched (answered 599 with no CORS headers). */
  unscripted: boolean;
}

export type Origins = Record<OriginName, string>;

export const PAGE_PATH = '/page.html';
const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>cors-doctor scenario page</title></head><body>scenario page</body></html>';

/** Replace `{page}`, `{api}`, `{third}`, `{pageport}`, `{run}` in a header value. */
export function expand(value: string, origins: Origins, runId: string): string {
  return value
    .replaceAll('{page}', origins.page)
    .replaceAll('{api}', origins.api)
    .replaceAll('{third}', origins.third)
    .replaceAll('{pageport}', new URL(origins.page).port)
    .replaceAll('{run}', `/r/${runId}`);
}

/** Split a URL on one of our origins into (origin name, run id, path) or null. */
export function locate(
  url: string,
  origins: Origins,
): { origin: OriginName; runId: string; path: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const origin = (Object.keys(origins) as OriginName[]).find((k) => origins[k] === parsed.origin);
  if (!origin) return null;
  const m = /^\/r\/([^/]+)(\/.*)?$/.exec(parsed.pathname);
  if (!m) return null;
  return { origin, runId: m[1]!, path: (m[2] ?? '/') + parsed.search };
}

/** 599 with no CORS headers: what an unscripted request gets (the test flags it). */
const UNSCRIPTED: ScriptedResponse = {
  status: 599,
  statusText: 'Unscripted',
  headers: [['Content-Type', 'text/plain']],
  body: 'unscripted',
};

/**
 * The exact response (status, header lines, body) the server writes for a request, placeholders
 * expanded, framing lines added the way the server writes them.
 */
export function scriptedResponse(
  routes: readonly Route[],
  origins: Origins,
  runId: string,
  origin: OriginName,
  method: string,
  path: string,
): { response: ScriptedResponse; unscripted: boolean } {
  const pathOnly = path.split('?')[0];
  const route = routes.find(
    (r) => (r.origin ?? 'api') === origin && r.method === method && (r.path === path || r.path === pathOnly),
  );
  const base = route?.response ?? UNSCRIPTED;
  const headers: [string, string][] = base.headers.map(([n, v]) => [n, expand(v, origins, runId)]);
  const body = method === 'HEAD' ? '' : (base.body ?? '');
  const noBody = base.status === 204 || base.status === 304 || (base.status >= 100 && base.status < 200);
  if (!noBody && !headers.some(([n]) => n.toLowerCase() === 'content-length')) {
    headers.push(['Content-Length', String(Buffer.byteLength(base.body ?? '', 'latin1'))]);
  }
  // Every answer closes its connection: no socket is reused across runs, so a scripted hang-up is one
  // network error, never a silent retry on a fresh socket (Chromium resends on a reused one).
  if (!headers.some(([n]) => n.toLowerCase() === 'connection')) headers.push(['Connection', 'close']);
  return {
    response: {
      status: base.status,
      statusText: base.statusText ?? defaultStatusText(base.status),
      headers,
      body: noBody ? '' : body,
      ...(base.hangUp ? { hangUp: true } : {}),
    },
    unscripted: route === undefined,
  };
}

function defaultStatusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK',
    201: 'Created',
    204: 'No Content',
    206: 'Partial Content',
    301: 'Moved Permanently',
    302: 'Found',
    303: 'See Other',
    304: 'Not Modified',
    307: 'Temporary Redirect',
    308: 'Permanent Redirect',
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
  };
  return texts[status] ?? 'Status';
}

export interface ScenarioServer {
  origins: Origins;
  /** The page every engine opens (on the page origin). */
  pageUrl: string;
  /** Register a run's routes; returns the URL prefix helper. */
  script(runId: string, routes: readonly Route[]): void;
  /** Requests received for a run (all three origins), in arrival order. */
  received(runId: string): ReceivedRequest[];
  /** Forget a run. */
  forget(runId: string): void;
  close(): Promise<void>;
}

export async function startScenarioServer(): Promise<ScenarioServer> {
  const runs = new Map<string, { routes: readonly Route[]; received: ReceivedRequest[] }>();
  const servers: Server[] = [];
  const origins = {} as Origins;
  const handler =
    (name: OriginName) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      res.sendDate = false;
      const path = req.url ?? '/';
      if (name === 'page' && (path === PAGE_PATH || path === '/favicon.ico')) {
        const body = path === PAGE_PATH ? PAGE_HTML : '';
        res.writeHead(path === PAGE_PATH ? 200 : 204, [
          'Content-Type',
          'text/html; charset=utf-8',
          'Cache-Control',
          'no-store',
          'Content-Length',
          String(Buffer.byteLength(body)),
        ]);
        res.end(body);
        return;
      }
      const where = locate(`${origins[name]}${path}`, origins);
      const run = where ? runs.get(where.runId) : undefined;
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
        headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const method = req.method ?? 'GET';
      const { response, unscripted } = scriptedResponse(
        run?.routes ?? [],
        origins,
        where?.runId ?? '',
        name,
        method,
        where?.path ?? path,
      );
      run?.received.push({ origin: name, method, path: where?.path ?? path, headers, unscripted });
      // Drain the request body, then answer with the exact lines (flat array keeps order, case, duplicates).
      req.resume();
      req.on('end', () => {
        if (response.hangUp) {
          req.socket.destroy();
          return;
        }
        try {
          res.writeHead(response.status, response.statusText, response.headers.flat());
          res.end(response.body === '' ? undefined : Buffer.from(response.body ?? '', 'latin1'));
        } catch (e) {
          // A header value Node refuses to write (control bytes): the connection drops, the test shows it.
          res.destroy(e instanceof Error ? e : undefined);
        }
      });
    };
  for (const name of ['page', 'api', 'third'] as const) {
    const server = createServer({ keepAliveTimeout: 5000 }, handler(name));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    origins[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    origins,
    pageUrl: `${origins.page}${PAGE_PATH}`,
    script(runId, routes) {
      runs.set(runId, { routes, received: [] });
    },
    received(runId) {
      return runs.get(runId)?.received ?? [];
    },
    forget(runId) {
      runs.delete(runId);
    },
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
