/**
 * `check` and Local Network Access (issue 14 §1): the address spaces inferred from --origin and the
 * API's address, the three flags (spelling fixed by the issue), `browser.localNetworkAccess` in the JSON
 * (validated against the shipped schema), the verdict Chrome gives when the gate applies, and the plain
 * note when a public origin checks a loopback copy of an API. A real loopback server; no mocks.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  addressSpaceOfHost,
  addressSpaceOfOrigin,
  decideLocalNetworkAccess,
  isGated,
} from '../../src/browser/local-network-access.ts';
import { parseCheckArgs, run } from '../../src/cli/commands/check.ts';
import { UsageError } from '../../src/cli/context.ts';
import { capture } from '../cli/capture.ts';
import { validateReport } from '../cli/schema.test.ts';
import { listen, type Running } from '../probe/hostile.ts';

describe('address spaces (model)', () => {
  test('hosts and origins map to the space Chromium gives their address', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.8.9.10', 'loopback'],
      ['localhost', 'loopback'],
      ['api.localhost', 'loopback'],
      ['[::1]', 'loopback'],
      ['192.168.1.20', 'local'],
      ['10.0.0.1', 'local'],
      ['172.16.0.1', 'local'],
      ['172.32.0.1', 'public'],
      ['169.254.1.1', 'local'],
      ['printer.local', 'local'],
      ['[fd00::1]', 'local'],
      ['[fe80::1]', 'local'],
      ['8.8.8.8', 'public'],
      ['app.example.com', 'public'],
    ];
    for (const [host, space] of cases) assert.equal(addressSpaceOfHost(host), space, host);
    assert.equal(addressSpaceOfOrigin('https://app.example.com'), 'public');
    assert.equal(addressSpaceOfOrigin('http://localhost:5173'), 'loopback');
    assert.equal(addressSpaceOfOrigin('null'), 'public');
  });
  test('only a public page is gated (Chromium 156: local → loopback is not)', () => {
    assert.equal(isGated('public', 'loopback'), true);
    assert.equal(isGated('public', 'local'), true);
    assert.equal(isGated('public', 'public'), false);
    assert.equal(isGated('local', 'loopback'), false);
  });
  test('a targetAddressSpace mismatch wins over the permission', () => {
    const d = decideLocalNetworkAccess(
      { page: 'public', permission: 'granted' },
      'http://127.0.0.1/x',
      'local',
    );
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.error, 'InvalidLocalNetworkAccess');
  });
});

describe('check with Local Network Access', () => {
  let api: Running;
  before(async () => {
    api = await listen(
      http.createServer((req, res) => {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
        res.end(req.method === 'OPTIONS' ? '' : 'ok');
      }),
    );
  });
  after(() => api.close());

  const json = async (args: string[]) => {
    const ctx = capture();
    const code = await run([`${api.url}/x`, '--no-probes', '--json', ...args], ctx);
    const doc = JSON.parse(ctx.out);
    validateReport('check', doc);
    return { code, doc };
  };

  test('a public origin calling loopback: the CORS verdict, with the gate reported beside it', async () => {
    const { code, doc } = await json(['--origin', 'https://app.example.com']);
    assert.equal(code, 0);
    assert.equal(doc.browser.allowed, true);
    assert.deepEqual(
      { ...doc.browser.localNetworkAccess },
      {
        page: 'public',
        target: 'loopback',
        permission: 'prompt',
        gated: true,
        applied: false,
        blocked: true,
        permissionName: 'loopback-network',
      },
    );
    const text = capture();
    await run([`${api.url}/x`, '--no-probes', '--origin', 'https://app.example.com'], text);
    assert.match(text.out, /note: Local Network Access: .*refuses this before sending it/);
    assert.match(text.out, /--lna prompt reports the refusal/);
  });

  test('--lna prompt: Chrome refuses before sending; the CORS verdict once granted is kept', async () => {
    const { code, doc } = await json(['--origin', 'https://app.example.com', '--lna', 'prompt']);
    assert.equal(code, 1);
    assert.equal(doc.browser.allowed, false);
    assert.equal(doc.browser.corsError, 'LocalNetworkAccessPermissionDenied');
    assert.match(
      doc.browser.chrome,
      /has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space\.$/,
    );
    assert.deepEqual(doc.browser.localNetworkAccess.onceGranted, {
      allowed: true,
      corsError: null,
      chrome: null,
    });
    assert.deepEqual(
      doc.findings.map((f: { id: string; severity: string }) => [f.id, f.severity]),
      [['local-network-access', 'error']],
    );
  });

  test('--lna granted: plain CORS decides, no LNA finding', async () => {
    const { code, doc } = await json(['--origin', 'https://app.example.com', '--lna', 'granted']);
    assert.equal(code, 0);
    assert.equal(doc.browser.localNetworkAccess.blocked, false);
    assert.equal(doc.findings.length, 0);
  });

  test('--target-address-space local: the private-device case, refused with `local`', async () => {
    const { doc } = await json(['--origin', 'https://app.example.com', '--target-address-space', 'local']);
    assert.match(doc.browser.chrome, /access the `local` address space\.$/);
    assert.equal(doc.browser.localNetworkAccess.permissionName, 'local-network');
  });

  test('--page-address-space local: a local page calling loopback is not gated', async () => {
    const { code, doc } = await json([
      '--origin',
      'https://app.example.com',
      '--page-address-space',
      'local',
    ]);
    assert.equal(code, 0);
    assert.equal(doc.browser.localNetworkAccess.gated, false);
  });

  test('a loopback origin: nothing gated, no note', async () => {
    const ctx = capture();
    await run([`${api.url}/x`, '--no-probes', '--origin', 'http://localhost:5173'], ctx);
    assert.doesNotMatch(ctx.out, /Local Network Access/);
  });

  test('bad values name the flag and the accepted values', async () => {
    for (const [flag, value] of [
      ['--lna', 'yes'],
      ['--page-address-space', 'private'],
      ['--target-address-space', 'lan'],
    ] as const) {
      await assert.rejects(
        parseCheckArgs([`${api.url}/x`, '--origin', 'https://a.example', flag, value]),
        (err: unknown) =>
          err instanceof UsageError && err.message.includes(flag) && err.message.includes(`got '${value}'`),
      );
    }
  });
});
