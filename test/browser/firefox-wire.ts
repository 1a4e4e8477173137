/**
 * A tiny loopback scenario server for the Firefox suite's own cases (the shared scenario table runs on the
 * model engineer's scenario server): three origins (page, api, other), replies scripted per scenario and per
 * hop, every request recorded as received, so the wire can be replayed into the pure model as Exchanges.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange, HeaderLine, WireResponse } from '../../src/browser/types.ts';

/** A scripted reply. Placeholders in header values: {origin} = page origin, {api} / {other} = those bases. */
export interface Reply {
  status: number;
  headers: [string, string][];
}

export interface WireCase {
  name: string;
  /** Path on the api server the page calls; hops are served under /s/<name>/<hop>. */
  replies: {
    preflight?: Reply;
    /** First hop (the URL the page asked for). */
    actual: Reply;
    /** Hops a redirect goes to: `/s/<name>/<hop>` on either server. */
    [hop: string]: Reply | undefined;
  };
}

export interface Received {
  method: string;
  url: string;
  headers: [string, string][];
  hop: string;
  purpose: 'preflight' | 'actual';
  reply: Reply;
}

export interface WireServer {
  pageOrigin: string;
  api: string;
  other: string;
  /** A loopback URL nobody listens on (connection refused). */
  refused: string;
  add(c: WireCase): void;
  /** Requests received for a case, in arrival order; cleared per case. */
  received(name: string): Received[];
  close(): Promise<void>;
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>cors-doctor firefox</title><p>firefox</p>';

function fill(v: string, s: { pageOrigin: string; api: string; other: string }): string {
  return v.replaceAll('{origin}', s.pageOrigin).replaceAll('{api}', s.api).replaceAll('{other}', s.other);
}

export async function startWireServer(): Promise<WireServer> {
  const cases = new Map<string, WireCase>();
  const seen = new Map<string, Received[]>();
  const bases = { pageOrigin: '', api: '', other: '' };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/s\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const c = m ? cases.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !c) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(PAGE);
      return;
    }
    const hop = m[2]!;
    const purpose =
      req.method === 'OPTIONS' && c.replies.preflight && hop === 'actual' ? 'preflight' : 'actual';
    const reply = (purpose === 'preflight' ? c.replies.preflight : c.replies[hop]) ?? {
      status: 404,
      headers: [],
    };
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const base = `http://${req.headers.host ?? '127.0.0.1'}`;
    seen
      .get(c.name)
      ?.push({ method: req.method ?? '', url: base + (req.url ?? '/'), headers, hop, purpose, reply });
    // Raw header lines, so repeated names stay separate lines (Firefox counts lines).
    const lines: string[] = [];
    for (const [n, v] of reply.headers) lines.push(n, fill(v, bases));
    lines.push('Cache-Control', 'no-store', 'Content-Type', 'text/plain');
    req.resume();
    res.writeHead(reply.status, lines);
    res.end(req.method === 'HEAD' ? undefined : 'body');
  };

  const servers = [http.createServer(handler), http.createServer(handler), http.createServer(handler)];
  for (const s of servers) {
    s.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', resolve);
    });
  }
  const [page, api, other] = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  bases.pageOrigin = page!;
  bases.api = api!;
  bases.other = other!;
  // A port that was free a moment ago: bind, read, close.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const refusedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));

  return {
    pageOrigin: page!,
    api: api!,
    other: other!,
    refused: `http://127.0.0.1:${refusedPort}`,
    add(c) {
      cases.set(c.name, c);
      seen.set(c.name, []);
    },
    received: (name) => seen.get(name) ?? [],
    async close() {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}

/** The wire as the model's Exchanges: what was received, and the reply the server really sent. */
export function toExchanges(
  received: Received[],
  s: { pageOrigin: string; api: string; other: string },
): Exchange[] {
  return received.map((r) => {
    const response: WireResponse = {
      kind: 'response',
      status: r.reply.status,
      headers: r.reply.headers.map(([n, v]): HeaderLine => [n, fill(v, s)]),
    };
    return {
      request: {
        purpose: r.purpose,
        method: r.method,
        url: r.url,
        headers: r.headers,
        withCredentials: r.headers.some(([n]) => n.toLowerCase() === 'cookie'),
      },
      response,
    };
  });
}
