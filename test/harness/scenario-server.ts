/**
 * The scenario server: three loopback origins (page, api, third: 127.0.0.1 on three ports) that answer
 * each scenario EXACTLY as scripted (status, header lines in order with duplicates and exact case,
 * Latin-1 bytes, redirects) and record every request they receive (method, path, raw header lines).
 *
 * Each scenario run gets its own path prefix `/r/<runId>` so neither Chromium's preflight cache nor its
 * HTTP cache can carry an answer from one run into another. Header values may use placeholders:
 * `{page}`, `{api}`, `{third}` (origins), `{pageport}`, `{run}` (the `/r/<runId>` prefix) and `{origin}`
 * (the request's own Origin header, for reflecting servers; `null` when absent). The page is served on
 * the page origin and on the third origin (a second front end, for cache sequences).
 *
 * `scriptedResponse` is pure and shared with the model side of the differential tests: the model sees
 * byte-for-byte the header list the server writes (Content-Length and Connection included). The server
 * speaks raw HTTP/1.1 over node:net (one request per connection) so it accepts any method token the page
 * sends (`patch`, `Foo`: Node's HTTP parser refuses those) and writes any bytes the scenario scripts.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

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
  /** The request's headers: `{origin}` in a scripted value is its Origin (a reflecting server). */
  requestHeaders: readonly (readonly [string, string])[] = [],
): { response: ScriptedResponse; unscripted: boolean } {
  const pathOnly = path.split('?')[0];
  const route = routes.find(
    (r) => (r.origin ?? 'api') === origin && r.method === method && (r.path === path || r.path === pathOnly),
  );
  const base = route?.response ?? UNSCRIPTED;
  const requestOrigin = requestHeaders.find(([n]) => n.toLowerCase() === 'origin')?.[1] ?? 'null';
  const headers: [string, string][] = base.headers.map(([n, v]) => [
    n,
    expand(v, origins, runId).replaceAll('{origin}', requestOrigin),
  ]);
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

/** A parsed HTTP/1.1 request head (our own parser: Node's refuses methods like `patch` or `Foo`). */
interface RequestHead {
  method: string;
  target: string;
  headers: [string, string][];
}

function parseHead(text: string): RequestHead | null {
  const [requestLine, ...lines] = text.split('\r\n');
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/1\.[01]$/.exec(requestLine ?? '');
  if (!m) return null;
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
  }
  return { method: m[1]!, target: m[2]!, headers };
}

/** Raw response bytes: status line, the header lines exactly as given, blank line, body (Latin-1). */
function serialize(r: ScriptedResponse, head: boolean): Buffer {
  const lines = [`HTTP/1.1 ${r.status} ${r.statusText ?? ''}`, ...r.headers.map(([n, v]) => `${n}: ${v}`)];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${head ? '' : (r.body ?? '')}`, 'latin1');
}

const MAX_HEAD = 64 * 1024;

export async function startScenarioServer(): Promise<ScenarioServer> {
  const runs = new Map<string, { routes: readonly Route[]; received: ReceivedRequest[] }>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const origins = {} as Origins;

  const answer = (name: OriginName, req: RequestHead): { response: ScriptedResponse; record: boolean } => {
    const path = req.target;
    if ((name === 'page' || name === 'third') && (path === PAGE_PATH || path === '/favicon.ico')) {
      const body = path === PAGE_PATH ? PAGE_HTML : '';
      return {
        record: false,
        response: {
          status: path === PAGE_PATH ? 200 : 204,
          statusText: path === PAGE_PATH ? 'OK' : 'No Content',
          headers: [
            ['Content-Type', 'text/html; charset=utf-8'],
            ['Cache-Control', 'no-store'],
            ['Content-Length', String(Buffer.byteLength(body))],
            ['Connection', 'close'],
          ],
          body,
        },
      };
    }
    const where = locate(`${origins[name]}${path}`, origins);
    const run = where ? runs.get(where.runId) : undefined;
    const { response, unscripted } = scriptedResponse(
      run?.routes ?? [],
      origins,
      where?.runId ?? '',
      name,
      req.method,
      where?.path ?? path,
      req.headers,
    );
    run?.received.push({
      origin: name,
      method: req.method,
      path: where?.path ?? path,
      headers: req.headers,
      unscripted,
    });
    return { response, record: true };
  };

  const onConnection = (name: OriginName) => (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let head: RequestHead | null = null;
    let bodyLength = 0;
    let bodyStart = 0;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (head === null) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) {
          if (buffer.length > MAX_HEAD) socket.destroy();
          return;
        }
        head = parseHead(buffer.subarray(0, end).toString('latin1'));
        if (head === null) {
          socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        const length = head.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
        bodyLength = length !== undefined && /^[0-9]+$/.test(length) ? Number(length) : 0;
        bodyStart = end + 4;
      }
      if (buffer.length - bodyStart < bodyLength) return;
      const req = head;
      socket.removeAllListeners('data');
      const { response } = answer(name, req);
      if (response.hangUp) {
        socket.destroy();
        return;
      }
      // One request per connection (every answer says Connection: close).
      socket.end(serialize(response, req.method === 'HEAD'));
    });
  };

  for (const name of ['page', 'api', 'third'] as const) {
    const server = createServer(onConnection(name));
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
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}
