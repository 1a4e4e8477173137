/**
 * The loopback API the round-trip benchmarks run against: every answer is delayed by `delayMs`, so a
 * run's floor is its sequential round trips × the delay. It allows https://app.example.com (with
 * credentials and Vary: Origin), answers preflights with 204, and records each request's arrival time.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const APP = 'https://app.example.com';

export interface DelayedApi {
  url: string;
  /** performance.now() of each request's arrival (clear it between runs). */
  arrivals: number[];
  /** Most connections open at once (reset it between runs with the arrivals). */
  peakOpen: number;
  close(): Promise<void>;
}

export async function delayedApi(
  delayMs: number,
  opts: { allowMethods?: string; keepAliveTimeout?: number } = {},
): Promise<DelayedApi> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    setTimeout(() => {
      const cors: Record<string, string> =
        req.headers.origin === APP
          ? { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' }
          : { Vary: 'Origin' };
      if (req.method === 'OPTIONS')
        res.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': opts.allowMethods ?? 'GET, PUT, DELETE',
          'Access-Control-Allow-Headers': 'content-type, authorization',
        });
      else res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
      res.end('{}');
    }, delayMs);
  });
  if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout;
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    api.peakOpen = Math.max(api.peakOpen, sockets.size);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const api: DelayedApi = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    peakOpen: 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  return api;
}
