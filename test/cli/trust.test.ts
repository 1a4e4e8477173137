/**
 * Issue 12, "the command line a newcomer trusts": what check sends and says for the inputs that broke
 * trust. Against a real loopback server that records every request it gets, so "never sent" is what the
 * server saw, not what the tool claims.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { parseCheckArgs, run } from '../../src/cli/commands/check.ts';
import { UsageError } from '../../src/cli/context.ts';
import { listen, type Running } from '../probe/hostile.ts';
import { capture } from './capture.ts';

const APP = 'https://myapp.com';

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

describe('inputs dropped or ignored get a note; hints for what newcomers type', () => {
  test('--cookie without credentials include, -H Origin and -H Host, same origin', async () => {
    const p = await parseCheckArgs([
      'http://127.0.0.1:1/x',
      '--origin',
      APP,
      '--cookie',
      'sid=1',
      '-H',
      'Origin: https://evil.example',
      '-H',
      'Host: other.example',
    ]);
    assert.equal(p.input.request.origin, APP, '--origin wins over -H Origin');
    assert.deepEqual(p.input.request.headers, [], 'neither Origin nor Host is a script header');
    const notes = p.notes.join('\n');
    assert.match(notes, /cookie is not sent.*--credentials include/);
    assert.match(notes, /-H Origin is not sent as typed.*https:\/\/myapp\.com from --origin/);
    assert.match(notes, /-H Host is ignored.*127\.0\.0\.1:1/);
    const same = await parseCheckArgs(['https://myapp.com/api', '--origin', APP]);
    assert.match(same.notes.join('\n'), /CORS does not apply: same origin/);
    const alone = await parseCheckArgs(['http://127.0.0.1:1/x', '-H', `Origin: ${APP}`]);
    assert.equal(alone.input.request.origin, APP, 'without --origin, -H Origin is the origin used');
  });

  test('loopback without a scheme: http:// is suggested; other hosts https://', async () => {
    assert.match(
      await usage(['localhost:3000/api', '--origin', APP]),
      /did you mean http:\/\/localhost:3000\/api\?/,
    );
    assert.match(
      await usage(['127.0.0.1:47001/ok', '--origin', APP]),
      /did you mean http:\/\/127\.0\.0\.1:47001\/ok\?/,
    );
    assert.match(
      await usage(['api.example.com/x', '--origin', APP]),
      /did you mean https:\/\/api\.example\.com\/x\?/,
    );
    assert.match(
      await usage(['http://127.0.0.1:1/', '--origin', 'localhost:5173']),
      /did you mean http:\/\/localhost:5173\?/,
    );
    assert.match(
      await usage(['http://127.0.0.1:1/', '--origin', 'myapp.com']),
      /did you mean https:\/\/myapp\.com\?/,
    );
  });

  test('methods are normalised as fetch does (put → PUT)', async () => {
    const p = await parseCheckArgs(['http://127.0.0.1:1/x', '--origin', APP, '--method', 'put']);
    assert.equal(p.input.request.method, 'PUT');
  });

  test('--all-probes lists the probes in the text report; grammar of the closing line', async () => {
    const ctx = capture();
    await run([`${api.url}/x`, '--origin', APP, '--all-probes'], ctx);
    assert.match(ctx.out, /^Probes \(\d+\)$/m);
    assert.match(ctx.out, /reported probes answered, of \d+ run/);
    const one = capture();
    await run([`${api.url}/x`, '--origin', APP, '--no-probes'], one);
    assert.match(one.out, /^1 request in \d+ ms \(no probes\)$/m, one.out);
  });
});

describe('refused before it is sent', () => {
  test('a URL with user:password: fetch throws; nothing is sent; exit 1', async () => {
    seen.length = 0;
    const ctx = capture();
    const url = api.url.replace('://', '://user:pw@');
    const code = await run([`${url}/x`, '--origin', APP], ctx);
    assert.equal(code, 1);
    assert.match(ctx.out, /^✖ refused before sending/);
    assert.match(ctx.out, /Request cannot be constructed from a URL that includes credentials/);
    assert.equal(seen.length, 0);
  });

  test('mixed content: the Mixed Content line is the headline, not a DNS error', async () => {
    const ctx = capture();
    await run(['http://api.invalid/x', '--origin', APP, '--no-probes', '--timeout', '2s'], ctx);
    const first = ctx.out.split('\n').slice(0, 2).join('\n');
    assert.match(first, /^✖ refused before sending:/);
    assert.match(
      first,
      /Chrome console: Mixed Content: The page at 'https:\/\/myapp\.com\/' was loaded over HTTPS/,
    );
  });
});

describe('TLS like curl', () => {
  test('--cacert trusts a local CA; -k skips verification and says the browser would not', async () => {
    const { selfSignedCert, tlsSelfSigned } = await import('../probe/hostile.ts');
    const cert = selfSignedCert();
    if (!cert) return assert.fail('openssl is needed to make a certificate');
    const server = await tlsSelfSigned(cert);
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'cd-ca-')), 'ca.pem');
    writeFileSync(file, cert.cert);
    try {
      const plain = capture();
      await run([`${server.url}/x`, '--origin', APP, '--no-probes', '--json'], plain);
      assert.match(JSON.parse(plain.out).browser.netError, /CERT/, 'untrusted without --cacert');
      const trusted = capture();
      await run([`${server.url}/x`, '--origin', APP, '--no-probes', '--json', '--cacert', file], trusted);
      assert.equal(JSON.parse(trusted.out).browser.netError, null);
      const k = capture();
      await run([`${server.url}/x`, '--origin', APP, '--no-probes', '-k'], k);
      assert.match(k.out, /not verified \(--insecure\)/);
      assert.match(
        await usage([`${server.url}/x`, '--origin', APP, '--cacert', '/nonexistent.pem']),
        /--cacert \/nonexistent\.pem: cannot read it/,
      );
    } finally {
      await server.close();
    }
  });
});

describe('conventions of the process', () => {
  const ROOT = new URL('../../', import.meta.url).pathname;
  const sh = async (script: string): Promise<{ code: number | null; stderr: string; stdout: string }> => {
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  };
  const CLI = `${JSON.stringify(process.execPath)} --import tsx src/cli/main.ts`;

  test('a closed stdout (| head) ends quietly: no EPIPE stack trace', async () => {
    const line =
      "Access to fetch at 'https://api.example.com/' from origin 'https://myapp.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    const r = await sh(
      `for i in $(seq 200); do echo "${line}"; done | ${CLI} explain - | head -c 100 >/dev/null`,
    );
    assert.doesNotMatch(r.stderr, /EPIPE|Error/, r.stderr);
  });

  test('global flags before the command; FORCE_COLOR forces colour', async () => {
    const r = await sh(`${CLI} --no-color explain "No 'Access-Control-Allow-Origin' header is present"`);
    assert.doesNotMatch(r.stderr, /unknown/, r.stderr);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const c = await sh(
      `FORCE_COLOR=1 ${CLI} explain "Access to fetch at 'https://a.example/' from origin 'https://b.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource." | cat`,
    );
    assert.match(c.stdout, /\x1b\[/, 'FORCE_COLOR=1 colours even through a pipe');
  });
});
