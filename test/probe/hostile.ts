/**
 * Servers that misbehave below HTTP, on loopback: each one a real socket doing the bad thing, so the prober
 * is tested against what it will meet (hang, trickle, 1 MB of headers, garbage, redirect loop, TLS with a
 * self-signed certificate, immediate close).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listen on 127.0.0.1, random port; close() also destroys open sockets so nothing lingers. */
export async function listen(server: net.Server, scheme = 'http'): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw TCP server that runs `onSocket` for each connection (after the request bytes arrive). */
export function rawServer(onSocket: (socket: net.Socket) => void): Promise<Running> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => onSocket(socket));
  });
  return listen(server);
}

export const hostile = {
  /** Accepts, reads the request, never answers. */
  hang: () => rawServer(() => {}),
  /** Sends the status line, then one header byte every 200 ms, forever. */
  trickle: () =>
    rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const t = setInterval(() => {
        if (socket.destroyed) clearInterval(t);
        else socket.write('X');
      }, 200);
      socket.on('close', () => clearInterval(t));
    }),
  /** One MiB of header lines (Chromium's limit is 256 KiB). */
  hugeHeaders: () =>
    rawServer((socket) => {
      const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
      socket.write('HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n');
      for (let i = 0; i < 1050 && !socket.destroyed; i++) socket.write(line);
      socket.end('\r\n');
    }),
  /** Bytes that are not HTTP. */
  garbage: () =>
    rawServer((socket) => {
      socket.end(Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a, 0x00]));
    }),
  /** Closes the connection without a byte. */
  emptyClose: () => rawServer((socket) => socket.destroy()),
  /** Every URL redirects to itself with a counter, CORS headers on each hop (so only the loop stops it). */
  redirectLoop: () =>
    listen(
      http.createServer((req, res) => {
        const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? '0');
        res.writeHead(302, {
          Location: `/loop?n=${n + 1}`,
          'Access-Control-Allow-Origin': req.headers.origin ?? '*',
        });
        res.end();
      }),
    ),
};

/** A port with nothing listening (bound, then released). */
export async function refusedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A self-signed certificate for 127.0.0.1, made now with openssl; null when openssl is missing. */
export function selfSignedCert(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'cors-doctor-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 20_000 },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTPS server with a self-signed certificate that answers with permissive CORS headers. */
export function tlsSelfSigned(cert: { key: string; cert: string }): Promise<Running> {
  return listen(
    https.createServer(cert, (req, res) => {
      res.writeHead(200, { 'Access-Control-Allow-Origin': req.headers.origin ?? '*' });
      res.end('ok');
    }),
    'https',
  );
}
