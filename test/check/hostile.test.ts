/**
 * A whole check against servers that misbehave below HTTP: each ends within its deadline (the test's own
 * timeout would catch a hang) with the browser's net error and a `network-error` finding, never a throw.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CheckInput } from '../../src/diagnosis/types.ts';
import { type CheckReport, exitCodeFor, runCheck } from '../../src/probe/check.ts';
import { hostile, type Running, refusedPort, selfSignedCert, tlsSelfSigned } from '../probe/hostile.ts';

const input = (url: string): CheckInput => ({
  request: {
    url,
    origin: 'https://app.example.com',
    method: 'PUT',
    headers: [['Content-Type', 'application/json']],
    credentials: 'include',
    mode: 'cors',
  },
  expose: [],
});

async function against(server: Running, timeoutMs = 1500, path = '/api'): Promise<CheckReport> {
  try {
    return await runCheck(input(`${server.url}${path}`), { timeoutMs });
  } finally {
    await server.close();
  }
}

function assertNetworkError(report: CheckReport, netError: RegExp): void {
  assert.equal(report.browser.allowed, false);
  assert.match(report.browser.netError ?? '', netError);
  const f = report.findings.find((x) => x.id === 'network-error');
  assert.ok(f, `network-error finding, got ${report.findings.map((x) => x.id).join(', ')}`);
  assert.equal(f.severity, 'error');
  assert.equal(exitCodeFor(report), 1);
}

describe('check against hostile servers', { timeout: 60_000 }, () => {
  test('hangs: ends at the deadline with net::ERR_TIMED_OUT', async () => {
    const r = await against(await hostile.hang(), 800);
    assertNetworkError(r, /^net::ERR_TIMED_OUT$/);
    assert.equal(r.stats.timedOut, true);
  });

  test('trickles its headers: ends at the deadline', async () => {
    assertNetworkError(await against(await hostile.trickle(), 800), /^net::ERR_TIMED_OUT$/);
  });

  test('1 MB of headers: net::ERR_RESPONSE_HEADERS_TOO_BIG', async () => {
    assertNetworkError(await against(await hostile.hugeHeaders()), /^net::ERR_RESPONSE_HEADERS_TOO_BIG$/);
  });

  test('garbage bytes: net::ERR_INVALID_HTTP_RESPONSE', async () => {
    assertNetworkError(await against(await hostile.garbage()), /^net::ERR_INVALID_HTTP_RESPONSE$/);
  });

  test('closes without answering: net::ERR_EMPTY_RESPONSE', async () => {
    assertNetworkError(
      await against(await hostile.emptyClose()),
      /^net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET)$/,
    );
  });

  test('refused: net::ERR_CONNECTION_REFUSED', async () => {
    const port = await refusedPort();
    const r = await runCheck(input(`http://127.0.0.1:${port}/api`), { timeoutMs: 1500 });
    assertNetworkError(r, /^net::ERR_CONNECTION_REFUSED$/);
  });

  test('a redirect loop: stopped by the redirect limit, not followed forever', async () => {
    const server = await hostile.redirectLoop();
    let r: CheckReport;
    try {
      // Every hop carries Access-Control-Allow-Origin, so only the redirect limit can stop it.
      const request = {
        ...input(`${server.url}/loop`).request,
        method: 'GET',
        headers: [],
        credentials: 'omit' as const,
      };
      r = await runCheck({ request, expose: [] }, { timeoutMs: 5000 });
    } finally {
      await server.close();
    }
    assert.equal(r.browser.allowed, false);
    assert.equal(r.browser.netError, 'net::ERR_TOO_MANY_REDIRECTS');
    const hops = r.exchanges.filter((x) => x.purpose === 'actual').length;
    assert.ok(hops >= 20 && hops <= 32, `${hops} hops`);
    assert.ok(
      r.findings.some((f) => f.id === 'network-error'),
      r.findings.map((f) => f.id).join(', '),
    );
  });

  test('TLS with a self-signed certificate: net::ERR_CERT_AUTHORITY_INVALID', async (t) => {
    const cert = selfSignedCert();
    if (!cert) {
      t.skip('openssl is not available to make a certificate');
      return;
    }
    assertNetworkError(await against(await tlsSelfSigned(cert)), /^net::ERR_CERT_AUTHORITY_INVALID$/);
  });
});
