/**
 * `check --confirm`: the flag, the comparison, and the real thing — Debian's Chromium (and Firefox ESR)
 * running the page's request from the page's origin against real Express/cors servers, through the CLI.
 * A missing engine skips loudly (CI=true: fails).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { PageRequest } from '../../src/browser/types.ts';
import { run } from '../../src/cli/commands/check.ts';
import { reproduceCommand, takeConfirmFlag } from '../../src/confirm/cli.ts';
import { compareSides, type EngineSide } from '../../src/confirm/index.ts';
import { capture } from '../cli/capture.ts';
import { validateReport } from '../cli/schema.test.ts';
import { APP } from '../harness/apps/common.ts';
import { type ExpressVariant, startExpress } from '../harness/apps/express.ts';
import { CHROMIUM_PATH } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import { FIREFOX_PATH } from '../harness/firefox.ts';

describe('--confirm flag', () => {
  test('alone means chromium; takes a value, a list, all; leaves the URL alone', () => {
    assert.deepEqual(takeConfirmFlag(['http://x/', '--confirm']), {
      argv: ['http://x/'],
      engines: ['chromium'],
    });
    assert.deepEqual(takeConfirmFlag(['--confirm', 'http://x/']).argv, ['http://x/']);
    assert.deepEqual(takeConfirmFlag(['--confirm', 'all', 'http://x/']).engines, [
      'chromium',
      'firefox',
      'webkit',
    ]);
    assert.deepEqual(takeConfirmFlag(['--confirm=firefox,webkit']).engines, ['firefox', 'webkit']);
    assert.equal(takeConfirmFlag(['http://x/']).engines, null);
  });
  test('an unknown engine is refused with the list of engines', async () => {
    const ctx = capture();
    await assert.rejects(
      run(['http://127.0.0.1:1/', '--origin', APP, '--confirm=safari'], ctx),
      /chromium, firefox, webkit/,
    );
  });
});

describe('comparison', () => {
  const side = (over: Partial<EngineSide>): EngineSide => ({
    allowed: false,
    corsError: 'MissingAllowOriginHeader',
    failedParameter: '',
    consoleLines: ['line'],
    readableHeaders: [],
    jsError: null,
    status: null,
    ...over,
  });
  test('agreement is no difference; each observable that differs is named', () => {
    assert.deepEqual(compareSides('chromium', side({}), side({})), []);
    const d = compareSides('chromium', side({}), side({ allowed: true, corsError: null, consoleLines: [] }));
    assert.equal(d.length, 3, d.join('\n'));
    assert.match(d[0]!, /verdict: model blocked, chromium allowed/);
    assert.match(d[1]!, /CorsError: model MissingAllowOriginHeader, chromium none/);
    assert.match(
      compareSides('firefox', side({ consoleLines: ['a', 'b'] }), side({ consoleLines: ['b', 'a'] }))[0]!,
      /console/,
    );
  });
  test('the reproduce command carries the whole request', () => {
    const request: PageRequest = {
      url: 'https://api.example.com/x',
      origin: 'https://app.example.com',
      method: 'PUT',
      headers: [['Content-Type', 'application/json']],
      credentials: 'include',
      mode: 'cors',
      initiator: 'xhr',
    };
    assert.equal(
      reproduceCommand(request, 'webkit'),
      "cors-doctor check https://api.example.com/x --origin https://app.example.com --method PUT -H 'Content-Type: application/json' --credentials include --initiator xhr --no-probes --confirm webkit",
    );
  });
});

const chromiumSkip = existsSync(CHROMIUM_PATH) ? false : missingEngine('chromium', `no ${CHROMIUM_PATH}`);

describe('--confirm in real Chromium against real Express/cors', { skip: chromiumSkip }, () => {
  const cases: { variant: ExpressVariant; args: string[]; allowed: boolean }[] = [
    { variant: 'no-cors', args: [], allowed: false },
    { variant: 'correct', args: ['--method', 'PUT', '-H', 'Content-Type: application/json'], allowed: true },
    { variant: 'wildcard-credentials', args: ['--credentials', 'include'], allowed: false },
    { variant: 'methods-short', args: ['--method', 'DELETE'], allowed: false },
    { variant: 'not-exposed', args: ['--expose', 'X-Request-Id'], allowed: true },
  ];
  for (const c of cases)
    test(`${c.variant} ${c.args.join(' ')}`, async () => {
      const app = await startExpress(c.variant);
      try {
        const ctx = capture();
        const code = await run(
          [`${app.base}/api/data`, '--origin', APP, ...c.args, '--no-probes', '--confirm', '--json'],
          ctx,
        );
        const doc = JSON.parse(ctx.out) as {
          browser: { allowed: boolean; chrome: string | null };
          confirm: {
            engine: string;
            ran: boolean;
            agree: boolean;
            differences: string[];
            engineSide: { consoleLines: string[]; allowed: boolean };
          }[];
        };
        validateReport('check', doc);
        const [confirmation] = doc.confirm;
        assert.ok(confirmation?.ran, JSON.stringify(confirmation));
        assert.equal(confirmation.engineSide.allowed, c.allowed, 'the engine’s own verdict');
        assert.equal(doc.browser.allowed, c.allowed, 'the model’s verdict');
        assert.deepEqual(confirmation.differences, []);
        if (!c.allowed) {
          assert.ok(
            confirmation.engineSide.consoleLines.includes(doc.browser.chrome!),
            'the real console line',
          );
          assert.equal(code, 1);
        }
      } finally {
        await app.close();
      }
    });

  test('text report shows the engine next to the model', async () => {
    const app = await startExpress('no-cors');
    try {
      const ctx = capture();
      await run([`${app.base}/api/data`, '--origin', APP, '--no-probes', '--confirm'], ctx);
      assert.match(
        ctx.out,
        /Confirmed in a real browser\n {2}chromium +\d+\.[\d.]+ {2}blocked .*✔ agrees with the model/,
      );
      assert.match(ctx.out, /console: Access to fetch at 'http:\/\/127\.0\.0\.1:\d+\/api\/data' from origin/);
    } finally {
      await app.close();
    }
  });
});

const firefoxSkip = existsSync(FIREFOX_PATH) ? false : missingEngine('firefox', `no ${FIREFOX_PATH}`);

test('--confirm firefox: the real Firefox lines from the page origin', { skip: firefoxSkip }, async () => {
  const app = await startExpress('no-cors');
  try {
    const ctx = capture();
    await run(
      [`${app.base}/api/data`, '--origin', APP, '--no-probes', '--confirm', 'firefox', '--json'],
      ctx,
    );
    const doc = JSON.parse(ctx.out) as {
      browser: { firefoxLines: string[] };
      confirm: { ran: boolean; agree: boolean; engineSide: { consoleLines: string[] } }[];
    };
    assert.ok(doc.confirm[0]?.ran, JSON.stringify(doc.confirm));
    assert.deepEqual(doc.confirm[0].engineSide.consoleLines, doc.browser.firefoxLines);
    assert.match(
      doc.browser.firefoxLines[0] ?? '',
      /Reason: CORS header ‘Access-Control-Allow-Origin’ missing/,
    );
  } finally {
    await app.close();
  }
});
