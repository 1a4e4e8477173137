/**
 * Issue 11's proof: for every runnable stack, a real server of that stack with the mistake is checked
 * (findings expected), the fix generated from that very diagnosis is pasted in where its `where` says,
 * the server restarts, and the check must come back allowed with no error, warning or security finding.
 * Node frameworks run from npm; Flask, Django, Rack, PHP, Go, nginx, Apache, Caddy and HAProxy from
 * Debian. Loopback only. CORS_FIX_STACKS=flask,go limits the run.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckInput } from '../../src/diagnosis/types.ts';
import { chooseFix, STACK_INFO, STACK_NAMES, type StackName } from '../../src/fix/index.ts';
import { runCheck } from '../../src/probe/check.ts';
import { freePort } from '../harness/process.ts';
import { missing, root, startBackend, starters } from './apps/index.ts';

const ORIGIN = 'https://app.myshop.test';
const only = process.env['CORS_FIX_STACKS']?.split(',');
const RUNNABLE = STACK_NAMES.filter((s) => STACK_INFO[s].runnable && (!only || only.includes(s)));

const input = (base: string): CheckInput => ({
  request: {
    url: `${base}/data`,
    origin: ORIGIN,
    method: 'PUT',
    headers: [
      ['Authorization', 'Bearer t0ken'],
      ['Content-Type', 'application/json'],
    ],
    credentials: 'include',
    mode: 'cors',
  },
  expose: ['X-Request-ID'],
});

const bad = (findings: { severity: string; id: string }[]) =>
  findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.id}`);

let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
const START = starters(() => backend!.port);

describe('generated fixes, applied to real servers', { concurrency: 1 }, () => {
  after(async () => {
    await backend?.close();
    await rm(join(root, '.tmp', `fix-${process.pid}`), { recursive: true, force: true });
  });

  for (const stack of RUNNABLE)
    it(`${stack}: the mistake is found, the generated fix leaves no finding`, {
      timeout: 240_000,
    }, async (t) => {
      const why = missing(stack);
      if (why) return t.skip(why);
      if (STACK_INFO[stack].proxy && !backend) backend = await startBackend();
      const start = START[stack as StackName];
      assert.ok(start, `no test app for runnable stack ${stack}: add one to test/fix/apps`);
      const port = await freePort();

      const broken = await start(port, undefined);
      let fix: ReturnType<typeof chooseFix>;
      try {
        const before = await runCheck(input(broken.base), { timeoutMs: 10_000, body: '{}' });
        assert.ok(bad(before.findings).length > 0, `${stack}: the server with the mistake shows no finding`);
        const responses = before.exchanges.flatMap((x) =>
          'status' in x.response ? [x.response.headers] : [],
        );
        fix = chooseFix(input(broken.base), before.findings, responses, stack);
      } finally {
        await broken.close();
      }
      assert.ok(fix, `${stack}: no fix generated`);

      const fixed = await start(port, fix.code);
      try {
        const afterCheck = await runCheck(input(fixed.base), { timeoutMs: 10_000, body: '{}' });
        assert.deepEqual(bad(afterCheck.findings), [], `${stack}: findings left after the fix:\n${fix.code}`);
        assert.equal(
          afterCheck.browser.allowed,
          true,
          `${stack}: the browser still blocks: ${afterCheck.browser.chrome}`,
        );
        assert.ok(
          afterCheck.browser.readableHeaders.includes('x-request-id'),
          `${stack}: X-Request-ID not readable`,
        );
      } finally {
        await fixed.close();
      }
    });
});
