/**
 * Odd bytes on the wire, sent over a raw socket (node's own client refuses to send them): obs-text
 * (0x80–0xFF) in Origin and in Access-Control-Request-Headers, tabs, an Origin that looks allowed but
 * carries trailing bytes, a header list that is 15 KB of commas. Every adapter must refuse without
 * reflecting anything, answer at once, and keep serving.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ADAPTERS, type RunningApp, startApp } from './apps.ts';

const APP = 'https://app.example.com';

/** Send raw bytes, read until the server closes (Connection: close), 5 s deadline. */
function raw(base: string, head: string): Promise<{ status: number; head: string }> {
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
      resolve({ status, head: text.split('\r\n\r\n')[0] ?? '' });
    });
    socket.end(Buffer.from(head, 'latin1'));
  });
}

const request = (method: string, headers: string[]) =>
  `${method} /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;

const CASES: { name: string; method: string; headers: string[] }[] = [
  { name: 'obs-text after an allowed origin', method: 'GET', headers: [`Origin: ${APP}\xff`] },
  { name: 'obs-text host', method: 'GET', headers: ['Origin: https://\xe9vil.example.com'] },
  { name: 'tab inside the origin', method: 'GET', headers: [`Origin: https://app.\texample.com`] },
  // Read as the first line, as shared caches do (hardening.test.ts checks the allowed-first order).
  {
    name: 'two Origin lines, foreign first',
    method: 'GET',
    headers: ['Origin: https://evil.test', `Origin: ${APP}`],
  },
  {
    name: 'obs-text in Access-Control-Request-Headers',
    method: 'OPTIONS',
    headers: [
      `Origin: ${APP}`,
      'Access-Control-Request-Method: PUT',
      'Access-Control-Request-Headers: x-a\xff,authorization',
    ],
  },
  {
    name: '15 KB of commas in Access-Control-Request-Headers',
    method: 'OPTIONS',
    headers: [
      `Origin: ${APP}`,
      'Access-Control-Request-Method: PUT',
      `Access-Control-Request-Headers: ${','.repeat(15_000)}`,
    ],
  },
  {
    name: 'obs-text in Access-Control-Request-Method',
    method: 'OPTIONS',
    headers: [`Origin: ${APP}`, 'Access-Control-Request-Method: PU\xd4'],
  },
];

for (const adapter of ADAPTERS) {
  describe(`hostile bytes: ${adapter}`, () => {
    let app: RunningApp;
    before(async () => {
      app = await startApp(adapter, {
        origins: [APP],
        credentials: true,
        methods: ['PUT'],
        allowedHeaders: ['authorization'],
      });
    });
    after(() => app.close());

    for (const c of CASES) {
      test(c.name, async () => {
        const r = await raw(app.url, request(c.method, c.headers));
        assert.ok(r.status > 0, `no HTTP answer: ${JSON.stringify(r.head)}`);
        const lines = r.head.toLowerCase().split('\r\n');
        assert.deepEqual(
          lines.filter((l) => l.startsWith('access-control-allow-')),
          [],
          r.head,
        );
        if (c.method === 'OPTIONS') assert.ok(r.status === 403 || r.status === 400, `status ${r.status}`);
        // Still serving, and still right, after the odd request.
        const ok = await raw(app.url, request('GET', [`Origin: ${APP}`]));
        assert.equal(ok.status, 200);
        assert.ok(ok.head.toLowerCase().includes(`access-control-allow-origin: ${APP}`), ok.head);
      });
    }
  });
}
