/**
 * Issue 12, "the command line a newcomer trusts": what check sends and says for the inputs that broke
 * trust. Against a real loopback server that records every request it gets, so "never sent" is what the
 * server saw, not what the tool claims.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { parseCheckArgs, run } from '../../src/cli/commands/check.ts';
import type { CommandContext } from '../../src/cli/context.ts';
import { UsageError } from '../../src/cli/context.ts';
import { listen, type Running } from '../probe/hostile.ts';

const APP = 'https://myapp.com';

function capture(): CommandContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    color: false,
    stdin: process.stdin,
    stdout(s: string) {
      ctx.out += s;
    },
    stderr(s: string) {
      ctx.err += s;
    },
  };
  return ctx;
}

async function usage(argv: string[]): Promise<string> {
  try {
    await parseCheckArgs(argv);
  } catch (err) {
    assert.ok(err instanceof UsageError, `expected a UsageError, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`no error for ${argv.join(' ')}`);
}

/** A CORS-enabled API that allows everything for APP and records the method of every request. */
let api: Running;
const seen: { method: string; auth: string | undefined; contentType: string | undefined; body: string }[] =
  [];
before(async () => {
  api = await listen(
    http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          auth: req.headers.authorization,
          contentType: req.headers['content-type'],
          body,
        });
        const origin = req.headers.origin;
        if (origin === APP) {
          res.setHeader('Access-Control-Allow-Origin', origin);
          res.setHeader('Vary', 'Origin');
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
          res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
        }
        res.statusCode = req.method === 'OPTIONS' ? 204 : 200;
        res.end(req.method === 'OPTIONS' ? '' : 'ok');
      });
    }),
  );
});
after(() => api.close());

describe('a pasted preflight', () => {
  const preflight = (url: string): string =>
    `curl '${url}/items/7' -X 'OPTIONS' -H 'Access-Control-Request-Method: DELETE' -H 'Access-Control-Request-Headers: authorization' -H 'Origin: ${APP}' -H 'Sec-Fetch-Mode: cors'`;

  test('sends the preflight and never the DELETE it announces (nor a probe DELETE)', async () => {
    seen.length = 0;
    const ctx = capture();
    const code = await run(['--curl', preflight(api.url), '--timeout', '5s'], ctx);
    const methods = seen.map((s) => s.method);
    assert.ok(methods.includes('OPTIONS'), `the preflight went out (server saw ${methods.join(', ')})`);
    assert.ok(!methods.includes('DELETE'), `no DELETE may reach the server (saw ${methods.join(', ')})`);
    assert.equal(code, 0, ctx.out);
    assert.match(ctx.out, /preflight passes/);
    assert.match(ctx.out, /DELETE was not sent/);
  });

  test('--json says the actual request was held', async () => {
    seen.length = 0;
    const ctx = capture();
    await run(['--curl', preflight(api.url), '--json', '--no-probes'], ctx);
    const report = JSON.parse(ctx.out);
    assert.equal(report.held?.method, 'DELETE');
    assert.ok(!report.exchanges.some((x: { request: { method: string } }) => x.request.method === 'DELETE'));
    assert.ok(!seen.some((s) => s.method === 'DELETE'));
  });

  test('--unsafe-probes is the explicit ask: then the DELETE goes out once', async () => {
    seen.length = 0;
    const ctx = capture();
    await run(['--curl', preflight(api.url), '--unsafe-probes', '--no-probes'], ctx);
    assert.equal(seen.filter((s) => s.method === 'DELETE').length, 1);
  });
});

describe('--data follows fetch', () => {
  test('a body on GET or HEAD is refused with the TypeError fetch throws', async () => {
    assert.match(
      await usage(['http://127.0.0.1:1/x', '--origin', APP, '--data', 'a=1', '--method', 'GET']),
      /Request with GET\/HEAD method cannot have body/,
    );
    assert.match(
      await usage(['http://127.0.0.1:1/x', '--origin', APP, '--data', 'a=1', '-X', 'head']),
      /Request with GET\/HEAD method cannot have body.*--method POST/,
    );
  });

  test('a string body without Content-Type goes out as text/plain;charset=UTF-8 and needs no preflight', async () => {
    const p = await parseCheckArgs(['http://127.0.0.1:1/x', '--origin', APP, '--data', '{"a":1}']);
    assert.equal(p.input.request.method, 'POST', "curl's meaning: --data makes it a POST");
    assert.deepEqual(p.input.request.headers, [['Content-Type', 'text/plain;charset=UTF-8']]);
    seen.length = 0;
    const ctx = capture();
    await run([`${api.url}/x`, '--origin', APP, '--data', '{"a":1}', '--no-probes', '--json'], ctx);
    const report = JSON.parse(ctx.out);
    assert.equal(report.browser.preflight, false);
    assert.deepEqual(
      seen.map((s) => [s.method, s.contentType, s.body]),
      [['POST', 'text/plain;charset=UTF-8', '{"a":1}']],
    );
  });

  test('--data-binary @file reads the file; a missing file is named', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cd-data-'));
    writeFileSync(join(dir, 'b.json'), '{"x":2}');
    const p = await parseCheckArgs([
      'http://127.0.0.1:1/x',
      '--origin',
      APP,
      '--data-binary',
      `@${join(dir, 'b.json')}`,
      '-H',
      'Content-Type: application/json',
    ]);
    assert.equal(p.body, '{"x":2}');
    assert.deepEqual(p.input.request.headers, [['Content-Type', 'application/json']]);
    assert.match(
      await usage(['http://127.0.0.1:1/x', '--origin', APP, '--data-binary', '@/nonexistent/b.json']),
      /cannot read .*\/nonexistent\/b\.json/,
    );
  });

  test("a pasted curl's --data-raw keeps working", async () => {
    const p = await parseCheckArgs([
      '--curl',
      `curl 'http://127.0.0.1:1/x' -H 'origin: ${APP}' -H 'content-type: application/json' --data-raw '{"k":1}'`,
    ]);
    assert.equal(p.input.request.method, 'POST');
    assert.equal(p.body, '{"k":1}');
  });
});
