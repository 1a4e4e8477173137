/**
 * Dogfood: `cors-doctor check` (the real CLI, as a child process) against the same API on every
 * adapter finds nothing to report: a simple GET from the allowed origin, and a preflighted,
 * credentialed PUT with Authorization. check also sends its own probes (near-miss and attacker
 * origins, localhost, null, error responses without credentials, a missing path), so this proves the
 * middleware's answers to all of those are clean too.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADAPTERS, type RunningApp, startApp } from './apps.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'src/cli/main.ts');
const APP = 'https://app.example.com';
const POLICY = {
  origins: [APP],
  credentials: true,
  methods: ['PUT'],
  allowedHeaders: ['authorization', 'content-type'],
  exposedHeaders: ['x-request-id'],
  maxAge: 600,
  env: 'production',
};

interface CheckJson {
  browser: { allowed: boolean; preflight: boolean; corsError: string | null };
  findings: { id: string; severity: string; detail: string }[];
}

function runCheck(args: string[]): Promise<{ code: number; json: CheckJson; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'check', ...args, '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolvePromise({ code: code ?? -1, json: JSON.parse(out) as CheckJson, stderr: err });
      } catch {
        reject(new Error(`check printed no JSON (exit ${code}): ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

const checkExists = existsSync(join(root, 'src/cli/commands/check.ts'));

for (const adapter of ADAPTERS) {
  describe(`dogfood: cors-doctor check against ${adapter}`, {
    skip: checkExists ? false : 'check command not present',
  }, () => {
    let app: RunningApp;
    before(async () => {
      app = await startApp(adapter, POLICY);
    });
    after(() => app.close());

    const clean = (r: { code: number; json: CheckJson; stderr: string }) => {
      const bad = r.json.findings.filter((f) => f.severity !== 'info');
      assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
      assert.equal(r.json.browser.allowed, true, JSON.stringify(r.json.browser));
      assert.equal(r.code, 0, r.stderr);
    };

    test('simple GET from the allowed origin: allowed, nothing to report', async () => {
      const r = await runCheck([`${app.url}/ok`, '--origin', APP]);
      assert.equal(r.json.browser.preflight, false);
      clean(r);
    });

    test('preflighted PUT with Authorization and credentials: allowed, nothing to report', async () => {
      const r = await runCheck([
        `${app.url}/auth`,
        '--origin',
        APP,
        '--method',
        'PUT',
        '-H',
        'Authorization: Bearer t',
        '-H',
        'Content-Type: application/json',
        '--credentials',
        'include',
        '--expose',
        'x-request-id',
      ]);
      assert.equal(r.json.browser.preflight, true);
      clean(r);
    });
  });
}
