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

/**
 * What guessing must infer from each real server's own answers (no --stack): the servers that announce
 * themselves. Fastify, Koa, Hono, node:http and Go send no identifying header: nothing is guessed.
 */
const GUESS: Partial<Record<StackName, StackName | null>> = {
  express: 'express',
  'cors-doctor': 'express',
  fastify: null,
  koa: null,
  hono: null,
  node: null,
  flask: 'flask',
  django: 'django',
  rails: 'rails',
  php: 'php',
  go: null,
  'go-http': null,
  nginx: 'nginx',
  apache: 'apache',
  caddy: 'caddy',
  haproxy: null,
};

/**
 * Wrong configurations as people write them (sources in the comments); the generated fix takes their place.
 */
const WRONG: Partial<Record<StackName, string>> = {
  // `origin: true` reflects every origin: the usual Stack Overflow answer to "credentials with *".
  express: "import cors from 'cors';\napp.use(cors({ origin: true, credentials: true }));",
  // Default origins '*' with credentials; and a before_request login check answers the preflight 401
  // (flask-cors issues #170, #201).
  flask: 'from flask_cors import CORS\nCORS(app, supports_credentials=True)',
  // Appended after the auth middleware, and every origin allowed (the order the docs warn about).
  django:
    'INSTALLED_APPS += ["corsheaders"]\nMIDDLEWARE.append("corsheaders.middleware.CorsMiddleware")\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True',
  // rack-cors with the README's `methods: [:get, :post, :options]`: PUT is refused at preflight.
  rails:
    'use Rack::Cors do\n  allow do\n    origins "*"\n    resource "*", headers: :any, methods: [:get, :post, :options]\n  end\nend',
  // The one-liner: '*' (no credentials possible), and nothing answers OPTIONS before the token check.
  php: "<?php\nheader('Access-Control-Allow-Origin: *');",
  // rs/cors AllowAll(): '*', no credentials.
  go: 'import "github.com/rs/cors"\n\nfunc withCORS(next http.Handler) http.Handler { return cors.AllowAll().Handler(next) }',
  // Reflecting $http_origin without `always`, on top of the app's own '*' (two layers).
  nginx:
    'location / {\n    add_header Access-Control-Allow-Origin $http_origin;\n    add_header Access-Control-Allow-Credentials true;\n    proxy_pass http://127.0.0.1:3000;\n}',
};

const bad = (findings: { severity: string; id: string }[]) =>
  findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.id}`);

let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
const START = starters(() => backend!.port);

describe('generated fixes, applied to real servers', { concurrency: 1 }, () => {
  after(async () => {
    await backend?.close();
    await rm(join(root, '.tmp', `fix-${process.pid}`), { recursive: true, force: true });
  });

  async function prove(
    stack: StackName,
    wrong: string | undefined,
    t: { skip(why: string): void; diagnostic(text: string): void },
  ) {
    const why = missing(stack);
    if (why) return t.skip(why);
    if (STACK_INFO[stack].proxy && !backend) backend = await startBackend();
    const start = START[stack];
    assert.ok(start, `no test app for runnable stack ${stack}: add one to test/fix/apps`);
    const port = await freePort();

    const broken = await start(port, wrong);
    let fix: ReturnType<typeof chooseFix>;
    try {
      const before = await runCheck(input(broken.base), { timeoutMs: 10_000, body: '{}' });
      assert.ok(bad(before.findings).length > 0, `${stack}: the server with the mistake shows no finding`);
      t.diagnostic(`${stack} before the fix: ${bad(before.findings).join(', ')}`);
      const responses = before.exchanges.flatMap((x) => ('status' in x.response ? [x.response.headers] : []));
      fix = chooseFix(input(broken.base), before.findings, responses, stack);
      if (wrong === undefined) {
        const guessed = chooseFix(input(broken.base), before.findings, responses);
        assert.equal(
          guessed?.stack ?? null,
          GUESS[stack],
          `${stack}: guessed ${guessed?.stack} from ${guessed?.inferredFrom}`,
        );
        if (guessed) assert.equal(guessed.inferred, true);
      }
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
  }

  for (const stack of RUNNABLE)
    it(
      `${stack}, no CORS at all: the mistake is found, the generated fix leaves no finding`,
      { timeout: 240_000 },
      (t) => prove(stack, undefined, t),
    );

  for (const [stack, wrong] of Object.entries(WRONG) as [StackName, string][])
    if (RUNNABLE.includes(stack))
      it(
        `${stack}, a common wrong configuration: the generated fix replaces it and leaves no finding`,
        { timeout: 240_000 },
        (t) => prove(stack, wrong, t),
      );
});
