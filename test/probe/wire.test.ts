import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { WireRequest } from '../../src/browser/types.ts';
import { CHROME_USER_AGENT, secFetchSite, sendWire, wireHeaderLines } from '../../src/probe/wire.ts';
import { hostile, listen, type Running, refusedPort, selfSignedCert, tlsSelfSigned } from './hostile.ts';

const get = (url: string, headers: [string, string][] = [], withCredentials = false): WireRequest => ({
  purpose: 'actual',
  method: 'GET',
  url,
  headers: [['Origin', 'https://app.example.com'], ...headers],
  withCredentials,
});

const netError = (r: Awaited<ReturnType<typeof sendWire>>): string =>
  r.kind === 'network-error' ? r.netError : `response ${r.status}`;

describe('sendWire against a well-behaved server', () => {
  let server: Running;
  const seen: { method: string; raw: string[] }[] = [];
  before(async () => {
    server = await listen(
      http.createServer((req, res) => {
        seen.push({ method: req.method ?? '', raw: req.rawHeaders });
        // Duplicates and odd case on purpose; a large body the prober must not wait for.
        res.writeHead(418, "I'm a teapot", [
          ['access-control-allow-origin', 'https://app.example.com'],
          ['X-Dup', 'one'],
          ['X-Dup', 'two'],
          ['ViA', '1.1 proxy'],
        ] as unknown as http.OutgoingHttpHeaders);
        res.write('x'.repeat(64 * 1024));
        // Never ends the body: only headers may be awaited.
      }),
    );
  });
  after(() => server.close());

  test('keeps header lines in order, with duplicates and original case, and the status text', async () => {
    const r = await sendWire(get(`${server.url}/data`), { timeoutMs: 5000 });
    assert.equal(r.kind, 'response');
    if (r.kind !== 'response') return;
    assert.equal(r.status, 418);
    assert.equal(r.statusText, "I'm a teapot");
    const names = r.headers.map(([n]) => n);
    assert.deepEqual(
      names.filter(
        (n) => n !== 'Date' && n !== 'Connection' && n !== 'Transfer-Encoding' && n !== 'Keep-Alive',
      ),
      ['access-control-allow-origin', 'X-Dup', 'X-Dup', 'ViA'],
    );
    assert.deepEqual(
      r.headers.filter(([n]) => n === 'X-Dup').map(([, v]) => v),
      ['one', 'two'],
    );
    assert.ok(r.ms >= 0);
  });

  test('sends the model lines first, then Chrome-like extras; cookies only with credentials', async () => {
    seen.length = 0;
    await sendWire(get(`${server.url}/a`, [['X-Custom', 'v']], true), { timeoutMs: 5000, cookie: 'sid=1' });
    await sendWire(get(`${server.url}/b`, [], false), { timeoutMs: 5000, cookie: 'sid=1' });
    const [withCreds, without] = seen;
    assert.ok(withCreds && without);
    const pairs = (raw: string[]) => raw.flatMap((v, i) => (i % 2 === 0 ? [[v, raw[i + 1]] as const] : []));
    const a = pairs(withCreds.raw).filter(([n]) => n !== 'Host');
    assert.deepEqual(a[0], ['Origin', 'https://app.example.com']);
    assert.deepEqual(a[1], ['X-Custom', 'v']);
    assert.ok(a.some(([n, v]) => n === 'User-Agent' && v === CHROME_USER_AGENT));
    assert.ok(a.some(([n, v]) => n === 'Sec-Fetch-Mode' && v === 'cors'));
    assert.ok(a.some(([n, v]) => n === 'Sec-Fetch-Site' && v === 'cross-site'));
    assert.ok(a.some(([n, v]) => n === 'Cookie' && v === 'sid=1'));
    assert.ok(!pairs(without.raw).some(([n]) => n.toLowerCase() === 'cookie'));
  });

  test('never adds a header the model already set (any case)', () => {
    const lines = wireHeaderLines(get('http://127.0.0.1/', [['accept', 'application/json']]));
    assert.equal(lines.filter(([n]) => n.toLowerCase() === 'accept').length, 1);
  });
});

describe('Sec-Fetch-Site', () => {
  test('same-origin, same-site, cross-site', () => {
    assert.equal(secFetchSite('https://a.example.com', 'https://a.example.com/x'), 'same-origin');
    assert.equal(secFetchSite('https://app.example.com', 'https://api.example.com/x'), 'same-site');
    assert.equal(secFetchSite('http://app.example.com', 'https://api.example.com/x'), 'cross-site');
    assert.equal(secFetchSite('https://a.github.io', 'https://b.github.io/x'), 'cross-site');
    assert.equal(secFetchSite('null', 'https://b.example/x'), 'cross-site');
    // The site keeps the host's trailing dot (URL Standard "registrable domain"; Chromium's too).
    assert.equal(secFetchSite('https://app.example.com.', 'https://api.example.com./x'), 'same-site');
    assert.equal(secFetchSite('https://app.example.com', 'https://api.example.com./x'), 'cross-site');
    assert.equal(secFetchSite('https://127.0.0.1:8080', 'https://127.0.0.1/x'), 'same-site');
  });
});

describe('sendWire against hostile servers: each ends with a classified net error', () => {
  test('a server that never answers → net::ERR_TIMED_OUT', async () => {
    const s = await hostile.hang();
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 300 });
      assert.equal(netError(r), 'net::ERR_TIMED_OUT');
    } finally {
      await s.close();
    }
  });

  test('a server that trickles its headers → net::ERR_TIMED_OUT', async () => {
    const s = await hostile.trickle();
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 500 });
      assert.equal(netError(r), 'net::ERR_TIMED_OUT');
    } finally {
      await s.close();
    }
  });

  test('1 MB of headers → net::ERR_RESPONSE_HEADERS_TOO_BIG', async () => {
    const s = await hostile.hugeHeaders();
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 5000 });
      assert.equal(netError(r), 'net::ERR_RESPONSE_HEADERS_TOO_BIG');
      assert.equal(r.code, 'HPE_HEADER_OVERFLOW');
    } finally {
      await s.close();
    }
  });

  test('garbage bytes → net::ERR_INVALID_HTTP_RESPONSE', async () => {
    const s = await hostile.garbage();
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 5000 });
      assert.equal(netError(r), 'net::ERR_INVALID_HTTP_RESPONSE');
    } finally {
      await s.close();
    }
  });

  test('a connection closed without a byte → net::ERR_EMPTY_RESPONSE', async () => {
    const s = await hostile.emptyClose();
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 5000 });
      assert.match(netError(r), /^net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET)$/);
    } finally {
      await s.close();
    }
  });

  test('nothing listening → net::ERR_CONNECTION_REFUSED', async () => {
    const port = await refusedPort();
    const r = await sendWire(get(`http://127.0.0.1:${port}/`), { timeoutMs: 5000 });
    assert.equal(netError(r), 'net::ERR_CONNECTION_REFUSED');
    assert.equal(r.code, 'ECONNREFUSED');
  });

  test('a name that cannot resolve (.invalid, RFC 6761) → net::ERR_NAME_NOT_RESOLVED', async () => {
    const r = await sendWire(get('http://no-such-host.invalid/'), { timeoutMs: 5000 });
    // Where the resolver itself is unreachable the lookup times out instead; both are "no response".
    assert.match(netError(r), /^net::ERR_(NAME_NOT_RESOLVED|TIMED_OUT)$/);
  });

  test('TLS with a self-signed certificate → net::ERR_CERT_AUTHORITY_INVALID', async (t) => {
    const cert = selfSignedCert();
    if (!cert) {
      t.skip('openssl is not available to make a certificate');
      return;
    }
    const s = await tlsSelfSigned(cert);
    try {
      const r = await sendWire(get(s.url), { timeoutMs: 5000 });
      assert.equal(netError(r), 'net::ERR_CERT_AUTHORITY_INVALID');
      // Trusting that certificate explicitly makes it a normal response: the failure was the trust.
      const trusted = await sendWire(get(s.url), { timeoutMs: 5000, ca: cert.cert });
      assert.equal(trusted.kind, 'response');
    } finally {
      await s.close();
    }
  });

  test('an aborted deadline ends a hanging request at once', async () => {
    const s = await hostile.hang();
    try {
      const ac = new AbortController();
      const p = sendWire(get(s.url), { timeoutMs: 60_000, signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      assert.equal(netError(await p), 'net::ERR_TIMED_OUT');
    } finally {
      await s.close();
    }
  });

  test('a non-http URL is a classified failure, not a throw', async () => {
    const r = await sendWire({ ...get('ftp://127.0.0.1/'), url: 'ftp://127.0.0.1/' }, { timeoutMs: 100 });
    assert.equal(netError(r), 'net::ERR_UNKNOWN_URL_SCHEME');
  });

  test('a header value with CR/LF is refused before anything is sent', async () => {
    const r = await sendWire(get('http://127.0.0.1:9/', [['X-Bad', 'a\r\nInjected: 1']]), { timeoutMs: 500 });
    assert.equal(netError(r), 'net::ERR_INVALID_ARGUMENT');
  });
});
