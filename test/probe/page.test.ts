/**
 * `--page`: the CSP policies of the front-end page, from its header lines and its `<meta>` elements,
 * fetched from a real loopback server (the body read only as far as needed).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { fetchPagePolicy, metaPolicies } from '../../src/probe/page.ts';
import { listen, refusedPort } from './hostile.ts';

describe('meta policies', () => {
  test('every http-equiv CSP meta, in order, attributes in any order and quoting, entities decoded', () => {
    const html = `<!doctype html><html><head>
      <META HTTP-EQUIV="Content-Security-Policy" CONTENT="connect-src 'self'">
      <meta content='default-src https://a.example; connect-src https://api.example.com' http-equiv='content-security-policy'>
      <meta http-equiv=Content-Security-Policy content="img-src &apos;none&apos; https://x.example?a=1&amp;b=2">
      <!-- <meta http-equiv="Content-Security-Policy" content="connect-src 'none'"> -->
      <meta http-equiv="Content-Security-Policy-Report-Only" content="connect-src 'none'">
      <meta name="viewport" content="width=device-width">
    </head></html>`;
    assert.deepEqual(metaPolicies(html), [
      "connect-src 'self'",
      'default-src https://a.example; connect-src https://api.example.com',
      "img-src 'none' https://x.example?a=1&b=2",
    ]);
  });
});

describe('fetchPagePolicy', () => {
  test('header policies (each line) and meta policies from a live page', async () => {
    const server = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, [
          'Content-Type',
          'text/html',
          'Content-Security-Policy',
          "default-src 'self'",
          'Content-Security-Policy',
          'connect-src https://api.example.com',
        ] as unknown as http.OutgoingHttpHeaders);
        // A large page that never ends: the policy is read from the first 512 KiB.
        res.write(
          `<html><head><meta http-equiv="Content-Security-Policy" content="connect-src 'none'"></head>`,
        );
        res.write('x'.repeat(600 * 1024));
      }),
    );
    try {
      const r = await fetchPagePolicy(`${server.url}/`, { timeoutMs: 5000 });
      assert.ok(r.ok);
      assert.deepEqual(r.policy, {
        url: `${server.url}/`,
        headerPolicies: ["default-src 'self'", 'connect-src https://api.example.com'],
        metaPolicies: ["connect-src 'none'"],
      });
    } finally {
      await server.close();
    }
  });

  test('a page that cannot be fetched is a classified failure', async () => {
    const port = await refusedPort();
    const r = await fetchPagePolicy(`http://127.0.0.1:${port}/`, { timeoutMs: 2000 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.netError, 'net::ERR_CONNECTION_REFUSED');
  });
});
