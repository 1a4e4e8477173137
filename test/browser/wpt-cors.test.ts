/**
 * The web-platform-tests' CORS cases (test/scenarios/wpt) in the three real engines and the model
 * (issue 14 §3). Per case: the engine's verdict is compared with the WPT expectation (or the exception
 * the case records for that engine), and the model must agree with the engine exactly (Chromium: wire,
 * CorsError, console lines; Firefox and WebKit: the model's views, through the shared runners). The
 * agreement per engine and per WPT file is printed as a diagnostic. ENGINE=… limits the run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launchChromium } from '../harness/chromium.ts';
import { launchFirefox } from '../harness/firefox.ts';
import type { ScenarioServer } from '../harness/scenario-server.ts';
import { launchWebKit } from '../harness/webkit.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import { modelVerdict } from '../scenarios/model.ts';
import type { EngineKey } from '../scenarios/sequences.ts';
import { type WptCase, wptCases } from '../scenarios/wpt/index.ts';
import { runSharedScenarios as runFirefox } from './firefox-shared.ts';
import { engineSkip, scenarioEngine } from './fixture.ts';
import { runSharedScenarios as runWebKit } from './webkit-shared.ts';

const only = process.env['ENGINE'];
/** The engine's outcome as WPT asserts it: allowed or not, and (filtering) whether the header is readable. */
interface Outcome {
  allowed: boolean;
  readable: string[];
}
const passesWpt = (c: WptCase, o: Outcome | undefined): boolean =>
  o !== undefined &&
  o.allowed === c.expect.allowed &&
  (c.readable ?? []).every((h) => o.readable.includes(h.name) === h.readable);
const passesRecorded = (c: WptCase, engine: EngineKey, o: Outcome | undefined): boolean => {
  const ex = c.engineExceptions?.[engine];
  if (!ex) return passesWpt(c, o);
  return (
    o?.allowed === ex.allowed &&
    (ex.readable === undefined ||
      (c.readable ?? []).every((h) => o.readable.includes(h.name) === ex.readable))
  );
};

function table(engine: EngineKey, real: Map<string, Outcome>): { lines: string[]; wrong: string[] } {
  const files = [...new Set(wptCases.map((c) => c.wpt.file))];
  const wrong: string[] = [];
  const lines = files.map((file) => {
    const cases = wptCases.filter((c) => c.wpt.file === file);
    const agreed = cases.filter((c) => passesWpt(c, real.get(c.name))).length;
    const exceptions = cases.filter((c) => c.engineExceptions?.[engine]).length;
    for (const c of cases)
      if (!passesRecorded(c, engine, real.get(c.name)))
        wrong.push(`${c.name} (${c.wpt.subtest}): ${engine} ${JSON.stringify(real.get(c.name))}`);
    return `${engine} ${file}: ${cases.length} cases, ${agreed} agree with WPT, ${exceptions} recorded exceptions`;
  });
  return { lines, wrong };
}

/**
 * Firefox's and WebKit's outcomes: the verdict as recorded, the readable headers the model gives (the
 * shared runners already failed the test where the engine's readable headers differ from the model's).
 */
function outcomes(
  server: ScenarioServer,
  records: { scenario: string; allowed: boolean }[],
): Map<string, Outcome> {
  return new Map(
    records.map((r) => {
      const c = wptCases.find((x) => x.name === r.scenario);
      const v = c ? modelVerdict(c, server.origins, 'readable') : undefined;
      return [r.scenario, { allowed: r.allowed, readable: v?.readableHeaders ?? [] }];
    }),
  );
}

const crSkip = engineSkip('chromium');
describe('WPT CORS cases: Chromium', { skip: crSkip || (only !== undefined && only !== 'chromium') }, () => {
  const fx = scenarioEngine(launchChromium);
  const real = new Map<string, Outcome>();
  let n = 0;
  for (const c of wptCases) {
    test(c.name, async () => {
      const { real: r } = await compareWithChromium(
        c,
        fx.server,
        fx.engine,
        `wpt${n++}-${Math.random().toString(36).slice(2, 8)}`,
        {
          checkIntent: false,
        },
      );
      real.set(c.name, { allowed: r.ok, readable: r.readableHeaders });
    });
  }
  test('agreement with WPT per file', (t) => {
    const { lines, wrong } = table('chromium', real);
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(wrong, []);
  });
});

const ffSkip = engineSkip('firefox');
describe('WPT CORS cases: Firefox', { skip: ffSkip || (only !== undefined && only !== 'firefox') }, () => {
  const fx = scenarioEngine(launchFirefox);
  test('the model’s Firefox view agrees; Firefox against WPT per file', async (t) => {
    const records: Parameters<typeof runFirefox>[2] = [];
    const summary = await runFirefox(fx.engine, fx.server, records, undefined, wptCases);
    t.diagnostic(`model vs Firefox: ${summary.agree}/${summary.total}`);
    const { lines, wrong } = table('firefox', outcomes(fx.server, records));
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(summary.disagreements, []);
    assert.deepEqual(wrong, []);
  });
});

describe('WPT CORS cases: WebKit', {
  skip: engineSkip('webkit') || (only !== undefined && only !== 'webkit'),
}, () => {
  const fx = scenarioEngine(launchWebKit);
  test('the model’s WebKit view agrees; WebKit against WPT per file', async (t) => {
    const records: Parameters<typeof runWebKit>[2] = [];
    const summary = await runWebKit(fx.engine, fx.server, records, wptCases);
    t.diagnostic(`model vs WebKit: ${summary.agree}/${summary.total}`);
    const { lines, wrong } = table('webkit', outcomes(fx.server, records));
    for (const l of lines) t.diagnostic(l);
    assert.deepEqual(summary.disagreements, []);
    assert.deepEqual(wrong, []);
  });
});
