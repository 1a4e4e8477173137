/**
 * The scan's config findings, confirmed against the real servers the corpus harness runs (Debian's nginx
 * and Apache, loopback only): the same text is scanned and served. Where scan reports `add_header`
 * without `always` (4), the real 404 lacks the header; where it reports an unanchored origin regex, the
 * real server echoes an attacker's origin. The fixed text gives no finding, and the real server then
 * behaves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { scanFiles } from '../../src/scan/index.ts';
import { nginxMissing, type RunningNginx, startNginx } from '../harness/nginx.ts';
import { apacheMissing, startApache } from '../harness/stacks/apache.ts';

const ATTACKER = 'https://example.com.attacker.test';

async function get(url: string, origin: string): Promise<{ status: number; acao: string | null }> {
  const res = await fetch(url, {
    headers: { Origin: origin },
    signal: AbortSignal.timeout(5000),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return { status: res.status, acao: res.headers.get('access-control-allow-origin') };
}

const scanIds = (path: string, text: string) =>
  scanFiles([{ path, text }])
    .findings.map((f) => f.id)
    .sort();

const nginxBody = (always: string, pattern: string) => `
    location /ok/ {
        add_header Access-Control-Allow-Origin "https://app.example.com"${always};
        return 200 "ok";
    }
    location /missing/ {
        add_header Access-Control-Allow-Origin "https://app.example.com"${always};
        return 404;
    }
    location /files/ {
        if ($http_origin ~* "${pattern}") {
            add_header Access-Control-Allow-Origin $http_origin always;
            add_header Vary Origin always;
        }
        return 200 "f";
    }`;

describe('nginx: scan findings match what nginx does', { skip: nginxMissing() }, () => {
  const cases = {
    bad: nginxBody('', 'example.com'),
    fixed: nginxBody(' always', '^https://(www\\.)?example\\.com$'),
  };
  const running: Record<string, RunningNginx> = {};
  before(async () => {
    running['bad'] = await startNginx(cases.bad);
    running['fixed'] = await startNginx(cases.fixed);
  });
  after(async () => {
    await Promise.all(Object.values(running).map((r) => r.stop()));
  });

  test('add_header without always: scan reports 4, and the real 404 has no Access-Control-Allow-Origin', async () => {
    const ids = scanIds('deploy/nginx/api.conf', `server {\n${cases.bad}\n}`);
    assert.deepEqual(ids, [
      'headers-missing-on-errors',
      'headers-missing-on-errors',
      'origin-pattern-bypass',
    ]);
    const base = running['bad']!.base;
    assert.deepEqual(await get(`${base}/ok/`, 'https://app.example.com'), {
      status: 200,
      acao: 'https://app.example.com',
    });
    assert.deepEqual(await get(`${base}/missing/`, 'https://app.example.com'), { status: 404, acao: null });
  });
  test('an unanchored if ($http_origin ~* …): scan reports the bypass, and nginx echoes the attacker', async () => {
    assert.deepEqual(await get(`${running['bad']!.base}/files/`, ATTACKER), { status: 200, acao: ATTACKER });
  });
  test('the fixed config: no finding, the 404 carries the header, the attacker is refused', async () => {
    assert.deepEqual(scanIds('deploy/nginx/api.conf', `server {\n${cases.fixed}\n}`), []);
    const base = running['fixed']!.base;
    assert.deepEqual(await get(`${base}/missing/`, 'https://app.example.com'), {
      status: 404,
      acao: 'https://app.example.com',
    });
    assert.deepEqual(await get(`${base}/files/`, ATTACKER), { status: 200, acao: null });
    assert.deepEqual(await get(`${base}/files/`, 'https://www.example.com'), {
      status: 200,
      acao: 'https://www.example.com',
    });
  });
});

describe('Apache: scan findings match what httpd does', { skip: apacheMissing() }, () => {
  const conf = (always: string, pattern: string) => `
SetEnvIf Origin "${pattern}" ORIGIN_OK=$0
Header ${always}set Access-Control-Allow-Origin "%{ORIGIN_OK}e" env=ORIGIN_OK
Header ${always}merge Vary Origin
`;
  test('Header set without always and an unescaped dot in SetEnvIf: both found, both real', async () => {
    const bad = conf('', '^https://app.example\\.com$');
    assert.deepEqual(scanIds('httpd.conf', bad), ['headers-missing-on-errors', 'origin-pattern-bypass']);
    const app = await startApache(bad, { 'ok.txt': 'ok' });
    try {
      assert.deepEqual(await get(`${app.base}/ok.txt`, 'https://app.example.com'), {
        status: 200,
        acao: 'https://app.example.com',
      });
      assert.deepEqual(await get(`${app.base}/missing.txt`, 'https://app.example.com'), {
        status: 404,
        acao: null,
      });
      // appXexample.com is a domain anyone can register.
      assert.equal(
        (await get(`${app.base}/ok.txt`, 'https://appxexample.com')).acao,
        'https://appxexample.com',
      );
    } finally {
      await app.close();
    }
  });
  test('an unanchored SetEnvIf with =$0 is not a bypass: Apache echoes the matched part only', async () => {
    const text = conf('always ', 'https://(www\\.)?example\\.com');
    assert.deepEqual(scanIds('httpd.conf', text), []);
    const app = await startApache(text, { 'ok.txt': 'ok' });
    try {
      // The attacker gets `https://example.com` back, which is not its origin: the browser refuses it.
      assert.equal((await get(`${app.base}/ok.txt`, ATTACKER)).acao, 'https://example.com');
    } finally {
      await app.close();
    }
  });
  test('the fixed config: no finding; the 404 has the header and the attacker is refused', async () => {
    const fixed = conf('always ', '^https://(www\\.)?example\\.com$');
    assert.deepEqual(scanIds('httpd.conf', fixed), []);
    const app = await startApache(fixed, { 'ok.txt': 'ok' });
    try {
      assert.deepEqual(await get(`${app.base}/missing.txt`, 'https://www.example.com'), {
        status: 404,
        acao: 'https://www.example.com',
      });
      assert.equal((await get(`${app.base}/ok.txt`, ATTACKER)).acao, null);
    } finally {
      await app.close();
    }
  });
});
