/**
 * The bundled CLI (package.json "bin" → dist/cli/, scripts/bundle-cli.mjs) works as the tsc output does,
 * and carries the CLI-only packages inside it: acorn, shell-quote, typescript, yaml, ignore and
 * smol-toml are devDependencies, so a bare import of them left in the bundle would fail for every user
 * who installed the package.
 * Needs `npm run build` (npm test builds first).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const BIN = `${root}${pkg.bin['cors-doctor']}`;
const APP = 'https://app.example.com';

/** Async, so the loopback server in this process keeps answering while the CLI runs. */
function cli(args: string[], bin = BIN): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 2) : 0, stdout, stderr }),
    );
  });
}

describe('the bundled CLI (package.json bin)', () => {
  let server: http.Server;
  let url = '';
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.headers.origin === APP) {
        res.setHeader('Access-Control-Allow-Origin', APP);
        res.setHeader('Vary', 'Origin');
      }
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('is the bundle, built, with a shebang', () => {
    assert.match(pkg.bin['cors-doctor']!, /^dist\/cli\//);
    assert.ok(existsSync(BIN), `${BIN} is missing: run npm run build`);
    assert.ok(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('prints the package version', async () => {
    const r = await cli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('runs check against a loopback server (--json)', async () => {
    const r = await cli(['check', url, '--origin', APP, '--json', '--no-probes']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { browser: { allowed: boolean } };
    assert.equal(report.browser.allowed, true);
  });

  it('reads a --curl paste (shell-quote, inlined)', async () => {
    const r = await cli([
      'check',
      '--curl',
      `curl '${url}' -H 'Origin: https://evil.test'`,
      '--json',
      '--no-probes',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { browser: { allowed: boolean } }).browser.allowed, false);
  });

  it('reads a --fetch paste (acorn, inlined)', async () => {
    const paste = `fetch("${url}", { "headers": { "origin": "${APP}" }, "method": "GET" });`;
    const r = await cli(['check', '--fetch', paste, '--json', '--no-probes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { request: { origin: string } }).request.origin, APP);
  });

  it('explains a console line', async () => {
    const line = `Access to fetch at '${url}' from origin '${APP}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    const r = await cli(['explain', line, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { messages: unknown[] }).messages.length, 1);
  });

  it('runs check and both pastes from a copy with no node_modules at all (everything is inlined)', async () => {
    // Away from this checkout's node_modules, a bare import left in the bundle cannot resolve.
    const dir = mkdtempSync(join(tmpdir(), 'cors-doctor-bundle-'));
    try {
      cpSync(`${root}dist/cli`, join(dir, 'dist/cli'), { recursive: true });
      cpSync(`${root}package.json`, join(dir, 'package.json'));
      const bin = join(dir, pkg.bin['cors-doctor']!);
      const curl = await cli(['check', '--curl', `curl '${url}' -H 'Origin: ${APP}'`, '--json'], bin);
      assert.equal(curl.code, 0, curl.stderr);
      const paste = `fetch("${url}", { "headers": { "origin": "${APP}" }, "method": "GET" });`;
      const fetched = await cli(['check', '--fetch', paste, '--json'], bin);
      assert.equal(fetched.code, 0, fetched.stderr);
      assert.equal(
        (
          await cli(
            [
              'explain',
              `Access to fetch at '${url}' from origin '${APP}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
            ],
            bin,
          )
        ).code,
        0,
      );
      // scan (typescript, ignore, smol-toml inside) and test (yaml inside): CommonJS packages bundled.
      const scanned = await cli(['scan', `${root}test/fixtures/scan`, '--json'], bin);
      assert.equal(scanned.code, 1, scanned.stderr);
      assert.ok((JSON.parse(scanned.stdout) as { findings: unknown[] }).findings.length > 10);
      const contract = join(dir, 'cors.contract.yaml');
      writeFileSync(contract, `version: 1\nendpoints:\n  - url: ${url}\n    allow: [${APP}]\n`);
      const tested = await cli(['test', contract, '--json'], bin);
      assert.equal(tested.code, 0, `${tested.stderr}${tested.stdout}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships the licences of the packages and the data it inlines', () => {
    const notices = readFileSync(`${root}dist/cli/THIRD-PARTY-LICENSES.txt`, 'utf8');
    for (const name of ['acorn@', 'shell-quote@', 'typescript@', 'yaml@', 'ignore@', 'smol-toml@'])
      assert.ok(notices.includes(name), name);
    assert.match(
      notices,
      /Public Suffix List \(MPL-2\.0\)[\s\S]*subject to the terms of the Mozilla Public License/,
    );
    // The suffix data is ours (src/browser/public-suffix-data.ts): no tldts package in the bundle.
    assert.doesNotMatch(notices, /^tldts@/m);
  });
});
