/**
 * The demo API: one small node:http server on 127.0.0.1 (random port) with one endpoint family per
 * mistake a server can make, each written the way that mistake is usually made, plus a correct one.
 * Every path under a family (including missing ones, which answer 404) behaves like its family, so each
 * endpoint shows its one mistake and nothing else.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The production front-end every demo request comes from. */
export const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

type Lines = [string, string][];
interface Answer {
  status: number;
  headers: Lines;
  body?: string;
}
type Family = (req: http.IncomingMessage, exists: boolean) => Answer;

const json = (status: number, headers: Lines, body: unknown = { ok: true }): Answer => ({
  status,
  headers: [['Content-Type', 'application/json'], ...headers],
  body: JSON.stringify(body),
});
const found = (exists: boolean): number => (exists ? 200 : 404);
const originOf = (req: http.IncomingMessage): string => String(req.headers.origin ?? '');

/** Reflect the origin when it is on the list (the usual hand-written allow-list). */
function allowList(list: string[], req: http.IncomingMessage, extra: Lines = []): Lines {
  const origin = originOf(req);
  return list.includes(origin) ? [['Access-Control-Allow-Origin', origin], ...extra] : [];
}

function preflightOk(base: Lines): Answer {
  return {
    status: 204,
    headers: [
      ...base,
      ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE'],
      ['Access-Control-Allow-Headers', 'Content-Type, Authorization'],
      ['Access-Control-Max-Age', '600'],
    ],
  };
}

export const FAMILIES: Record<string, Family> = {
  // 1: CORS was never configured.
  'no-cors': (_req, exists) => json(found(exists), []),

  // 2: `cors({ origin: '*', credentials: true })`: the wildcard goes out together with credentials.
  wildcard: (req, exists) => {
    const base: Lines = [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Credentials', 'true'],
    ];
    return req.method === 'OPTIONS' ? preflightOk(base) : json(found(exists), base);
  },

  // 3: CORS headers added in the route handlers; nobody handles OPTIONS, so it falls through to 404.
  'no-preflight': (req, exists) =>
    req.method === 'OPTIONS'
      ? { status: 404, headers: [['Content-Type', 'text/plain']], body: 'Cannot OPTIONS' }
      : json(found(exists), [...allowList([APP], req), ['Vary', 'Origin']]),

  // 4: authentication runs before CORS: a 401 goes out without the CORS headers.
  'auth-first': (req, exists) => {
    const cors: Lines = [...allowList([APP], req), ['Vary', 'Origin']];
    if (req.method === 'OPTIONS') return preflightOk(cors);
    if (req.headers.authorization !== 'Bearer demo-token')
      return json(401, [['WWW-Authenticate', 'Bearer']], { error: 'unauthorized' });
    return json(found(exists), cors);
  },

  // 5: the app and the proxy in front of it both add Access-Control-Allow-Origin.
  duplicate: (req, exists) => {
    const app = allowList([APP], req);
    return json(found(exists), [
      ...app.map(([n, v]): [string, string] => [n.toLowerCase(), v]),
      ['Access-Control-Allow-Origin', APP],
      ['Vary', 'Origin'],
      ['Via', '1.1 edge-proxy'],
    ]);
  },

  // 6: the origin is reflected from a list, but without Vary: Origin, on a cacheable response.
  'no-vary': (req, exists) =>
    json(found(exists), [...allowList([APP, ADMIN], req), ['Cache-Control', 'public, max-age=600']]),

  // 7: a typo in the list: www. in front of the real front-end's host.
  typo: (req, exists) =>
    json(found(exists), [...allowList(['https://www.app.example.com', ADMIN], req), ['Vary', 'Origin']]),

  // 8: development origins left in the production list, with credentials.
  localhost: (req, exists) =>
    json(found(exists), [
      ...allowList([APP, 'http://localhost:3000', 'http://127.0.0.1:5173'], req, [
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
      ['Vary', 'Origin'],
    ]),

  // 9: custom headers sent but not exposed: the script reads null.
  expose: (req, exists) =>
    json(found(exists), [
      ...allowList([APP], req),
      ['Vary', 'Origin'],
      ['X-Request-ID', 'req-7f3a2c'],
      ['X-RateLimit-Remaining', '41'],
    ]),

  // Security: any origin reflected, with credentials.
  reflect: (req, exists) => {
    const base: Lines = [
      ['Access-Control-Allow-Origin', originOf(req)],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Vary', 'Origin'],
    ];
    return req.method === 'OPTIONS' ? preflightOk(base) : json(found(exists), base);
  },

  // Security: `null` on the allow-list (sandboxed iframes and file: pages send it), with credentials.
  'null-origin': (req, exists) =>
    json(found(exists), [
      ...allowList([APP, 'null'], req, [['Access-Control-Allow-Credentials', 'true']]),
      ['Vary', 'Origin'],
    ]),

  // Correct: one exact origin, credentials, preflight answered, headers on every response, Vary, exposed.
  ok: (req, exists) => {
    const cors: Lines = allowList([APP], req, [['Access-Control-Allow-Credentials', 'true']]);
    if (req.method === 'OPTIONS') {
      const answer = preflightOk(cors);
      answer.headers.push(['Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers']);
      return answer;
    }
    return json(found(exists), [
      ...cors,
      ['Access-Control-Expose-Headers', 'X-Request-ID'],
      ['Vary', 'Origin'],
      ['X-Request-ID', 'req-7f3a2c'],
    ]);
  },
};

/** The front-end page for mistake 10: its CSP lets it fetch only from the production API's host. */
const PAGE = `<!doctype html>
<html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src https://api.example.com">
<title>demo front-end</title></head>
<body>The front-end of the demo.</body></html>
`;

export interface DemoApi {
  url: string;
  close(): Promise<void>;
}

/** Start the demo API on 127.0.0.1, random port. */
export async function startDemoApi(): Promise<DemoApi> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path === '/page.html') {
      res.writeHead(200, [
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Content-Security-Policy', "default-src 'self'; connect-src https://api.example.com"],
      ] as unknown as http.OutgoingHttpHeaders);
      res.end(PAGE);
      return;
    }
    const [, family = '', resource = ''] = path.split('/');
    const handler = FAMILIES[family];
    const answer: Answer = handler
      ? handler(req, resource === 'data')
      : { status: 404, headers: [['Content-Type', 'text/plain']], body: 'no such demo endpoint' };
    // A flat array keeps duplicate lines and their case (mistake 5 needs both).
    res.writeHead(answer.status, answer.headers.flat() as unknown as http.OutgoingHttpHeaders);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
