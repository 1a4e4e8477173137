/**
 * Defects 3 and 5 of issue 19 behind a real shared cache (Varnish, `/usr/sbin/varnishd`): what matters
 * is which response the cache hands to the NEXT origin, so it is measured there, over raw sockets.
 * Skipped when varnishd is not installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import type { RunningApp } from '../harness/apps/common.ts';
import { freePort, startProcess, tempDir } from '../harness/process.ts';
import { raw, rawRequest } from './wire.ts';

const VARNISHD = '/usr/sbin/varnishd';
const A = 'https://a.example.com';
const B = 'https://b.example.com';
const EVIL = 'https://evil.com';

// Cache every GET for a minute, whatever the backend's headers say, keyed by URL + Vary only.
const VCL = (port: number) => `vcl 4.1;
backend default { .host = "127.0.0.1"; .port = "${port}"; }
sub vcl_recv { if (req.method != "GET") { return (pass); } return (hash); }
sub vcl_backend_response { set beresp.ttl = 60s; set beresp.uncacheable = false; return (deliver); }
sub vcl_deliver { set resp.http.x-cache-hits = obj.hits; }
`;

describe('behind Varnish', { skip: !existsSync(VARNISHD) && 'varnishd not installed' }, () => {
  let backend: Server;
  let varnish: RunningApp;
  before(async () => {
    const mw = nodeCors({ origins: [A, B], credentials: true });
    backend = createServer(
      mw.wrap((req, res) => {
        if (req.url?.startsWith('/array')) {
          // Defect 3: a flat array used to drop Vary: Origin, so A's answer was served to B.
          res.writeHead(200, ['Vary', 'Accept-Encoding', 'Content-Type', 'text/plain']);
          res.end('array');
          return;
        }
        res.end('ok');
      }),
    );
    backend.listen(0, '127.0.0.1');
    await new Promise((r) => backend.once('listening', r));
    const backendPort = (backend.address() as AddressInfo).port;
    const dir = await tempDir('varnish-mw');
    await writeFile(join(dir, 'default.vcl'), VCL(backendPort));
    const port = await freePort();
    varnish = await startProcess(
      VARNISHD,
      [
        '-F',
        '-j',
        'none',
        '-n',
        join(dir, 'n'),
        '-a',
        `127.0.0.1:${port}`,
        '-f',
        join(dir, 'default.vcl'),
        '-s',
        'malloc,16m',
      ],
      { port, dir, startTimeoutMs: 20_000 },
    );
  });
  after(async () => {
    await varnish?.close();
    backend?.closeAllConnections();
    await new Promise((r) => backend?.close(r));
  });

  const acao = (lines: string[]) =>
    lines.filter((l) => l.startsWith('access-control-allow-origin:')).map((l) => l.slice(29).trim());

  test('defect 3: writeHead(status, [array]): the cache does not serve A’s answer to B', async () => {
    const first = await raw(varnish.base, rawRequest('GET', '/array', [`Origin: ${A}`]));
    assert.deepEqual(acao(first.lines), [A], first.head);
    const second = await raw(varnish.base, rawRequest('GET', '/array', [`Origin: ${B}`]));
    assert.deepEqual(acao(second.lines), [B], second.head);
  });

  test('defect 5: two Origin lines do not cache a refusal under the first origin', async () => {
    const two = await raw(varnish.base, rawRequest('GET', '/two', [`Origin: ${A}`, `Origin: ${EVIL}`]));
    assert.equal(two.status, 200, two.head);
    const real = await raw(varnish.base, rawRequest('GET', '/two', [`Origin: ${A}`]));
    assert.deepEqual(acao(real.lines), [A], real.head);
  });
});
