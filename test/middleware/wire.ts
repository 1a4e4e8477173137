/** Raw-socket HTTP/1.1 for the middleware tests: the bytes as sent and received, nothing normalised. */
import { connect } from 'node:net';

/** Send raw bytes, read until the server closes (Connection: close), 5 s deadline. */
export function raw(base: string, head: string): Promise<{ status: number; head: string; lines: string[] }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const headText = text.split('\r\n\r\n')[0] ?? '';
      resolve({ status, head: headText, lines: headText.toLowerCase().split('\r\n').slice(1) });
    });
    // write, not end: a half-closed socket makes node:http drop a response that is still being
    // prepared (an async lookup); browsers never half-close. Connection: close ends it server-side.
    socket.write(Buffer.from(head, 'latin1'));
  });
}

export const rawRequest = (method: string, path: string, headers: string[]) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
