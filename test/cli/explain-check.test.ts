/**
 * explain's `cors-doctor check …` commands are real commands: parsed as a shell would, run against a
 * loopback server that sends no CORS headers, `check` accepts every flag (exit 1 = blocked, never 2 =
 * bad usage) and reports the cause; where the pasted line fits this server, it is the one explain put first.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import shellQuote from 'shell-quote';
import { explain } from '../../src/explain/index.ts';

const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('explain → check', () => {
  let server: http.Server;
  let base = '';
  before(async () => {
    // No CORS at all: OPTIONS → 404, everything else 200 without Access-Control-Allow-Origin.
    server = http.createServer((req, res) => {
      res.writeHead(req.method === 'OPTIONS' ? 404 : 200, { 'Content-Type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const ORIGIN = 'http://127.0.0.1:1';
  const chrome = (body: string, kind = 'fetch') =>
    `Access to ${kind} at '${base}/data' from origin '${ORIGIN}' has been blocked by CORS policy: ${body}`;
  const cases: { name: string; text: () => string; flags: string[]; confirms: string; agrees: boolean }[] = [
    {
      name: 'missing Allow-Origin',
      text: () => chrome("No 'Access-Control-Allow-Origin' header is present on the requested resource."),
      flags: [],
      confirms: 'missing-allow-origin',
      agrees: true,
    },
    {
      name: 'preflight, method from the network line',
      text: () =>
        `${chrome("Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.")}\nPUT ${base}/data net::ERR_FAILED`,
      flags: ['--method', 'PUT'],
      confirms: 'preflight-failed-status',
      agrees: true,
    },
    {
      name: 'header, XHR',
      text: () =>
        chrome(
          'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
          'XMLHttpRequest',
        ),
      flags: ['-H', '--initiator'],
      confirms: 'preflight-failed-status',
      agrees: false, // the pasted line came from another server, one that answers preflights
    },
    {
      name: 'credentials, Safari',
      text: () =>
        `Credentials flag is true, but Access-Control-Allow-Credentials is not "true".\nFetch API cannot load ${base}/data due to access control checks.`,
      flags: ['--credentials', '--browser'],
      confirms: 'missing-allow-origin',
      agrees: false,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const outcome = explain(c.text());
      assert.ok(outcome.ok);
      const command = outcome.result.messages[0]?.check;
      assert.ok(command, 'explain gives a check command');
      const words = shellQuote.parse(command).map(String);
      assert.deepEqual(words.slice(0, 2), ['cors-doctor', 'check']);
      for (const f of c.flags) assert.ok(words.includes(f), `${command} lacks ${f}`);
      if (words.includes('<your-page-origin>')) words[words.indexOf('<your-page-origin>')] = ORIGIN;
      const r = await run([...words.slice(1), '--json']);
      assert.equal(r.code, 1, `check should report a block, got ${r.code}: ${r.stderr}`);
      const doc = JSON.parse(r.stdout) as {
        browser: { allowed: boolean; corsError: string | null };
        findings: { id: string }[];
      };
      assert.equal(doc.browser.allowed, false);
      const found = doc.findings.map((f) => f.id);
      assert.ok(found.includes(c.confirms), `check found ${found.join(', ')}`);
      // Where the pasted line matches this server, explain's first guess is what check finds.
      if (c.agrees) assert.equal(outcome.result.messages[0]!.causes[0]!.id, c.confirms);
    });
  }
});
