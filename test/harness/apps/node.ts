/** Plain node:http handlers that set CORS headers by hand, right and wrong. */
import http from 'node:http';
import { ADMIN, APP, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type NodeVariant =
  | 'correct'
  | 'explicit-port'
  | 'list-in-one-header'
  | 'no-vary'
  | 'credentials-capitalised'
  | 'preflight-redirect'
  | 'get-only'
  | 'method-case';

type Headers = [string, string][];

function send(res: http.ServerResponse, status: number, headers: Headers, body = '') {
  for (const [n, v] of headers) res.appendHeader(n, v);
  res.statusCode = status;
  res.end(body);
}

export async function startNode(variant: NodeVariant): Promise<RunningApp> {
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin ?? '';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const preflight = req.method === 'OPTIONS';
    const h: Headers = [];
    switch (variant) {
      case 'correct':
        if (origin === APP)
          h.push(['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Credentials', 'true']);
        h.push(['Vary', 'Origin']);
        if (preflight)
          h.push(
            ['Access-Control-Allow-Methods', 'GET, PUT, DELETE'],
            ['Access-Control-Allow-Headers', 'Content-Type, Authorization'],
            ['Access-Control-Max-Age', '600'],
          );
        else h.push(['Access-Control-Expose-Headers', 'X-Request-Id']);
        break;
      case 'explicit-port':
        h.push(['Access-Control-Allow-Origin', 'https://app.myshop.test:443']);
        break;
      case 'list-in-one-header':
        h.push(
          ['Access-Control-Allow-Origin', `${APP}, ${ADMIN}`],
          ['Access-Control-Expose-Headers', 'X-Request-Id'],
        );
        break;
      case 'no-vary':
        if (origin === APP || origin === ADMIN) h.push(['Access-Control-Allow-Origin', origin]);
        h.push(['Cache-Control', 'public, max-age=300'], ['Access-Control-Expose-Headers', 'X-Request-Id']);
        break;
      case 'credentials-capitalised':
        if (origin === APP)
          h.push(['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Credentials', 'True']);
        h.push(['Vary', 'Origin'], ['Access-Control-Expose-Headers', 'X-Request-Id']);
        break;
      case 'preflight-redirect':
        if (preflight && path === '/api/data') return send(res, 301, [['Location', '/api/data/']]);
        if (origin === APP) h.push(['Access-Control-Allow-Origin', origin]);
        h.push(
          ['Vary', 'Origin'],
          ['Access-Control-Allow-Methods', 'GET, PUT'],
          ['Access-Control-Expose-Headers', 'X-Request-Id'],
        );
        break;
      case 'get-only':
        if (origin === APP) h.push(['Access-Control-Allow-Origin', origin]);
        h.push(['Vary', 'Origin'], ['Access-Control-Expose-Headers', 'X-Request-Id']);
        if (preflight) h.push(['Access-Control-Allow-Methods', 'GET']);
        break;
      case 'method-case':
        if (origin === APP) h.push(['Access-Control-Allow-Origin', origin]);
        h.push(['Vary', 'Origin'], ['Access-Control-Expose-Headers', 'X-Request-Id']);
        if (preflight) h.push(['Access-Control-Allow-Methods', 'GET, PATCH']);
        break;
    }
    if (preflight) return send(res, 204, h);
    if (path !== '/api/data')
      return send(res, 404, [...h, ['Content-Type', 'application/json']], '{"error":"not found"}');
    send(res, 200, [...h, ['Content-Type', 'application/json'], ['X-Request-Id', REQUEST_ID]], BODY);
  });
  return listen(server);
}

/** A front-end page server whose documents carry a Content-Security-Policy (for `--page`). */
export async function startPage(csp: { header?: string; meta?: string }): Promise<RunningApp> {
  const server = http.createServer((_req, res) => {
    if (csp.header !== undefined) res.setHeader('Content-Security-Policy', csp.header);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    const meta =
      csp.meta === undefined ? '' : `<meta http-equiv="Content-Security-Policy" content="${csp.meta}">`;
    res.end(`<!doctype html><html><head>${meta}<title>shop</title></head><body></body></html>`);
  });
  return listen(server);
}
