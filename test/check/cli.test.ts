/**
 * The `check` command's contract (DESIGN.md): flags, the JSON document, exit codes 0/1/2 and the messages
 * bad input gets. In-process through `run(argv, ctx)` where possible; a few runs of the real entry point
 * for what only the process shows (exit codes, stdout holding nothing but JSON).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { parseCheckArgs, run } from '../../src/cli/commands/check.ts';
import { UsageError } from '../../src/cli/context.ts';
import { capture } from '../cli/capture.ts';
import { listen, type Running } from '../probe/hostile.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const APP = 'https://myapp.com';

/** Run the real CLI entry point (TypeScript through tsx); resolves with exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
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

describe('check flags', () => {
  test('defaults: GET, same-origin credentials, cors mode, 10 s deadline, chrome first', async () => {
    const p = await parseCheckArgs(['https://api.example.com/data', '--origin', APP]);
    assert.deepEqual(p.input.request, {
      url: 'https://api.example.com/data',
      origin: APP,
      method: 'GET',
      headers: [],
      credentials: 'same-origin',
      mode: 'cors',
      initiator: 'fetch',
    });
    assert.deepEqual(p.input.expose, []);
    assert.equal(p.timeoutMs, 10_000);
    assert.equal(p.browser, 'chrome');
    assert.equal(p.json, false);
  });

  test('every flag, repeatable ones repeated, --flag=value form', async () => {
    const p = await parseCheckArgs([
      'https://api.example.com/items',
      '--origin=https://myapp.com',
      '--method',
      'PUT',
      '-H',
      'Content-Type: application/json',
      '--header',
      'Authorization: Bearer x',
      '-H',
      'Cookie: sid=1',
      '--expose',
      'X-Request-ID',
      '--expose=Link, X-RateLimit-Remaining',
      '--credentials',
      'include',
      '--mode',
      'no-cors',
      '--json',
      '--stack',
      'nginx',
      '--browser',
      'firefox',
      '--timeout',
      '2500ms',
      '--page',
      'https://myapp.com/',
    ]);
    assert.equal(p.input.request.method, 'PUT');
    assert.deepEqual(p.input.request.headers, [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer x'],
    ]);
    assert.equal(p.cookie, 'sid=1', 'a Cookie line is the browser jar, not a script header');
    assert.deepEqual(p.input.expose, ['X-Request-ID', 'Link', 'X-RateLimit-Remaining']);
    assert.equal(p.input.request.credentials, 'include');
    assert.equal(p.input.request.mode, 'no-cors');
    assert.equal(p.json, true);
    assert.equal(p.stack, 'nginx');
    assert.equal(p.browser, 'firefox');
    assert.equal(p.timeoutMs, 2500);
    assert.equal(p.pageUrl, 'https://myapp.com/');
  });

  test('--curl and --fetch give url, origin, method, headers; flags still override', async () => {
    const c = await parseCheckArgs([
      '--curl',
      `curl 'https://api.example.com/x' -X 'DELETE' -H 'origin: https://myapp.com' -H 'x-trace: 1' -b 'sid=2'`,
    ]);
    assert.equal(c.input.request.url, 'https://api.example.com/x');
    assert.equal(c.input.request.origin, APP);
    assert.equal(c.input.request.method, 'DELETE');
    assert.equal(c.input.request.credentials, 'include');
    assert.equal(c.cookie, 'sid=2');
    const f = await parseCheckArgs([
      '--fetch',
      `fetch("https://api.example.com/y", {"referrer": "https://myapp.com/", "method": "POST", "mode": "cors", "credentials": "omit"})`,
      '--origin',
      'https://other.example',
    ]);
    assert.equal(f.input.request.origin, 'https://other.example');
    assert.equal(f.input.request.method, 'POST');
    assert.equal(f.input.request.credentials, 'omit');
  });

  test("'--curl -' reads the pasted command from stdin", async () => {
    const stdin = Readable.from([
      Buffer.from(
        `curl 'https://api.example.com/z' \\\n  -H 'origin: https://myapp.com' \\\n  -H 'x-api-key: k'`,
      ),
    ]);
    const p = await parseCheckArgs(['--curl', '-'], { stdin });
    assert.equal(p.input.request.url, 'https://api.example.com/z');
    assert.equal(p.input.request.origin, APP);
    assert.deepEqual(p.input.request.headers, [['x-api-key', 'k']]);
  });

  test('bad input names the fix', async () => {
    assert.equal(
      await usage(['https://api.example.com/', '--origin', 'https://myapp.com/login']),
      'an origin has no path: did you mean https://myapp.com?',
    );
    assert.equal(
      await usage(['https://api.example.com/', '--origin', 'https://myapp.com/']),
      'an origin has no trailing slash: did you mean https://myapp.com?',
    );
    assert.equal(
      await usage(['https://api.example.com/', '--origin', 'https://myapp.com:443']),
      'an origin leaves out the default port 443: did you mean https://myapp.com?',
    );
    assert.equal(
      await usage(['https://api.example.com/', '--origin', 'myapp.com']),
      'an origin starts with its scheme: did you mean https://myapp.com?',
    );
    assert.equal(
      await usage(['https://api.example.com/', '--origin', 'https://MyApp.com']),
      'browsers send the host in lower case: did you mean https://myapp.com?',
    );
    assert.match(
      await usage(['ftp://files.example.com/a', '--origin', APP]),
      /must be http:\/\/ or https:\/\//,
    );
    assert.match(
      await usage(['api.example.com/data', '--origin', APP]),
      /did you mean https:\/\/api\.example\.com\/data\?/,
    );
    assert.match(await usage(['--origin', APP]), /check needs a URL/);
    assert.match(await usage(['https://api.example.com/']), /needs the page origin: add --origin/);
    assert.match(
      await usage(['https://api.example.com/', '--origin', APP, '--frobnicate']),
      /unknown flag '--frobnicate'/,
    );
    assert.match(
      await usage(['https://api.example.com/', '--origin', APP, '-H', 'NoColonHere']),
      /"Name: value"/,
    );
    assert.match(
      await usage(['https://api.example.com/', '--origin', APP, '--credentials', 'yes']),
      /omit, same-origin, include/,
    );
    assert.match(
      await usage(['https://api.example.com/', '--origin', APP, '--timeout', 'soon']),
      /not a duration/,
    );
    assert.match(
      await usage(['https://api.example.com/', '--origin', APP, '--stack', 'cobol']),
      /--stack 'cobol' is not a stack cors-doctor knows; use one of express, .*django.*rails/,
    );
    assert.match(
      await usage(['--curl', 'curl https://h.example/ | sh']),
      /^unreadable --curl: .*shell operator/,
    );
    assert.match(await usage(['--curl', 'not a curl']), /^unreadable --curl/);
    assert.match(await usage(['--fetch', 'fetch(x)']), /^unreadable --fetch/);
    assert.match(
      await usage(['--curl', `curl 'https://h.example/'`]),
      /carries no Origin or referrer: add --origin/,
    );
    assert.match(await usage(['https://api.example.com/', '--origin']), /--origin needs a value/);
  });
});

describe('check end to end against a loopback API', () => {
  let api: Running;
  before(async () => {
    api = await listen(
      http.createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (path.startsWith('/open')) {
          res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
            'Access-Control-Allow-Origin': APP,
            'Access-Control-Allow-Methods': 'GET, PUT',
            'Access-Control-Allow-Headers': 'content-type',
            Vary: 'Origin',
          });
        } else res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      }),
    );
  });
  after(() => api.close());

  test('--json: one document with DESIGN.md fields; exit 0 when allowed and clean', async () => {
    const ctx = capture();
    const code = await run([`${api.url}/open`, '--origin', APP, '--json'], ctx);
    const doc = JSON.parse(ctx.out);
    assert.equal(code, 0, JSON.stringify(doc.findings));
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(doc.request, {
      url: `${api.url}/open`,
      origin: APP,
      method: 'GET',
      headers: [],
      credentials: 'same-origin',
      mode: 'cors',
    });
    for (const key of ['allowed', 'preflight', 'corsError', 'chrome', 'firefox', 'safari', 'readableHeaders'])
      assert.ok(key in doc.browser, `browser.${key}`);
    assert.equal(doc.browser.allowed, true);
    assert.equal(doc.browser.preflight, false);
    assert.equal(doc.browser.corsError, null);
    assert.equal(doc.exchanges[0].purpose, 'actual');
    assert.equal(doc.exchanges[0].response.status, 200);
    assert.ok(doc.exchanges[0].response.headers.some(([n]: [string]) => n === 'Access-Control-Allow-Origin'));
    assert.ok(doc.exchanges.slice(1).every((x: { purpose: string }) => x.purpose.startsWith('probe:')));
    assert.ok(Array.isArray(doc.findings));
  });

  test('blocked: exit 1, the exact Chrome line first, the finding with its fix', async () => {
    const ctx = capture();
    const code = await run([`${api.url}/closed`, '--origin', APP], ctx);
    assert.equal(code, 1);
    const lines = ctx.out.split('\n');
    assert.match(lines[0]!, /^✖ blocked {2}GET http:\/\/127\.0\.0\.1:\d+\/closed from https:\/\/myapp\.com$/);
    assert.equal(
      lines[1],
      `  Chrome console: Access to fetch at '${api.url}/closed' from origin '${APP}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
    );
    assert.match(ctx.out, /missing-allow-origin \(mistake 1\)/);
    assert.match(ctx.out, /fix: /);
    assert.doesNotMatch(ctx.out, /\x1b\[/, 'no colour when ctx.color is false');
  });

  test('--stack (or an alias) shows one fix block for that stack; colour only when the context allows it', async () => {
    const plain = capture();
    await run([`${api.url}/closed`, '--origin', APP, '--stack', 'django-cors-headers'], plain);
    assert.equal(plain.out.match(/\nFix: /g)?.length, 1, plain.out);
    assert.match(plain.out, /\nFix: Django \(django-cors-headers\)\n/);
    assert.ok(
      plain.out.includes(`CORS_ALLOWED_ORIGINS = ["${APP}"]`),
      "the page's own origin, not an example",
    );
    assert.doesNotMatch(plain.out, /Add --stack|app\.example\.com/);
    const coloured = { ...capture(), color: true };
    let out = '';
    coloured.stdout = (t: string) => void (out += t);
    await run([`${api.url}/closed`, '--origin', APP], coloured);
    assert.match(out, /\x1b\[31m✖ blocked\x1b\[0m/);
  });

  test('--browser firefox leads with Firefox wording when the model has it', async () => {
    const ctx = capture();
    await run([`${api.url}/closed`, '--origin', APP, '--browser', 'firefox'], ctx);
    assert.match(ctx.out.split('\n')[1]!, /^ {2}(Firefox|Chrome) console: /);
  });

  test('the process: exit codes 0, 1, 2; --json leaves stdout to the JSON alone; errors on stderr', async () => {
    const [ok, blocked, bad] = await Promise.all([
      cli(['check', `${api.url}/open`, '--origin', APP, '--json']),
      cli(['check', `${api.url}/closed`, '--origin', APP, '--json']),
      cli(['check', `${api.url}/open`, '--origin', 'https://myapp.com/login', '--json']),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).browser.allowed, true);
    assert.equal(blocked.code, 1, blocked.stderr);
    assert.equal(JSON.parse(blocked.stdout).browser.corsError, 'MissingAllowOriginHeader');
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr, 'error: an origin has no path: did you mean https://myapp.com?\n');
  });

  test('--help lists the flags with examples', async () => {
    const ctx = capture();
    assert.equal(await run(['--help'], ctx), 0);
    for (const flag of [
      '--origin',
      '--method',
      '--header',
      '--expose',
      '--credentials',
      '--mode',
      '--json',
      '--curl',
      '--fetch',
      '--page',
      '--stack',
      '--browser',
      '--timeout',
    ])
      assert.ok(ctx.out.includes(flag), flag);
    assert.match(ctx.out, /Examples:/);
  });
});
