/**
 * `cors-doctor test` against the real-server corpus (Express + cors, Flask + flask-cors on Debian's
 * Python): contracts that pass, contracts that fail for each kind of expectation (allow, deny, expose,
 * findings), `ignore`, an unreachable server among reachable ones, the run's deadline, invalid contracts
 * (exit 2), --only, --init. Every run's JSON is validated against its schema, its JUnit XML parsed back
 * and counted, its SARIF validated against the official SARIF 2.1.0 schema.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { pool, run } from '../../src/cli/commands/test.ts';
import { parseContract } from '../../src/contract/parse.ts';
import { capture } from '../cli/capture.ts';
import { validateReport } from '../cli/schema.test.ts';
import { ADMIN, APP, type RunningApp } from '../harness/apps/common.ts';
import { startExpress } from '../harness/apps/express.ts';
import { django, flask, pythonMissing } from '../harness/stacks/python.ts';
import { listen, type Running, refusedPort } from '../probe/hostile.ts';

// The official SARIF 2.1.0 schema (OASIS, rtm.5) as Microsoft's @microsoft/jest-sarif ships it; draft-04.
const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// A CommonJS module whose class is both module.exports and .default: TypeScript sees the latter.
const AjvDraft04 = AjvDraft04Module.default;
// strict off and non-Unicode patterns: the official schema is not ours to fix (one of its patterns,
// for language tags, is not a valid Unicode-mode RegExp); formats (uri, date-time) are checked.
const sarifAjv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormatsModule.default(sarifAjv);
const validateSarif = sarifAjv.compile(sarifSchema);

/** Parsed JSON, XML and SARIF documents, read field by field in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: documents parsed back from text; each field is asserted
type Doc = any;

interface Ran {
  code: number;
  out: string;
  err: string;
  json?: Doc;
  junit?: Doc;
  junitText?: string;
  sarif?: Doc;
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cors-doctor-contract-'));
});
after(() => rm(dir, { recursive: true, force: true }));

let n = 0;
/** Writes the contract, runs `test` in-process with --json, --junit and --sarif, validates all three. */
async function runContract(contract: string, extra: string[] = [], ext = 'yaml'): Promise<Ran> {
  const i = ++n;
  const file = join(dir, `c${i}.cors.${ext}`);
  await writeFile(file, contract);
  const junit = join(dir, `c${i}.junit.xml`);
  const sarif = join(dir, `c${i}.sarif`);
  const ctx = capture();
  const code = await run([file, '--json', '--junit', junit, '--sarif', sarif, ...extra], ctx);
  const ran: Ran = { code, out: ctx.out, err: ctx.err };
  const json = JSON.parse(ctx.out) as Doc;
  validateReport('contract', json);
  ran.json = json;
  if (json['valid'] === true) {
    ran.junitText = await readFile(junit, 'utf8');
    assert.equal(XMLValidator.validate(ran.junitText), true, 'JUnit XML is not well-formed');
    ran.junit = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
    }).parse(ran.junitText);
    ran.sarif = JSON.parse(await readFile(sarif, 'utf8'));
    assert.ok(validateSarif(ran.sarif), `SARIF 2.1.0 schema: ${sarifAjv.errorsText(validateSarif.errors)}`);
    checkJunitCounts(ran);
  }
  return ran;
}

/** The JUnit file counts what the JSON says: a suite per endpoint, a case per expectation, failures. */
function checkJunitCounts(ran: Ran): void {
  const suites = ran.junit!['testsuites'];
  const json = ran.json!;
  assert.equal(Number(suites.tests), json['summary'].passed + json['summary'].failed);
  assert.equal(Number(suites.failures), json['summary'].failed);
  assert.equal(suites.testsuite.length, json['endpoints'].length);
  // What the common JUnit XSDs (Jenkins', Ant's) require of the attributes this file writes.
  assert.match(suites.time, /^\d+\.\d{3}$/);
  suites.testsuite.forEach((s: Doc, i: number) => {
    assert.match(s.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.match(s.time, /^\d+\.\d{3}$/);
    for (const c of s.testcase)
      assert.ok(c.name && c.classname && /^\d+\.\d{3}$/.test(c.time), JSON.stringify(c));
    const ep = json['endpoints'][i];
    // control characters XML 1.0 cannot hold come back as U+FFFD
    assert.equal(s.name, ep.name.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD'));
    assert.equal(s.testcase.length, ep.cases.length);
    assert.equal(Number(s.tests), ep.cases.length);
    const failed = s.testcase.filter((c: Doc) => c.failure !== undefined);
    assert.equal(failed.length, ep.cases.filter((c: Doc) => !c.passed).length);
    assert.equal(Number(s.failures), failed.length);
    for (const c of failed) assert.ok(c.failure.message.length > 0 && c.failure.type.length > 0);
  });
}

const cases = (ran: Ran): Doc[] => ran.json!['endpoints'].flatMap((e: Doc) => e.cases);
const failedCase = (ran: Ran, title: string): Doc => {
  const c = cases(ran).find((x) => x.title === title);
  assert.ok(
    c,
    `no case '${title}' in ${cases(ran)
      .map((x) => x.title)
      .join(', ')}`,
  );
  assert.equal(c.passed, false, `'${title}' should fail`);
  return c;
};

const EVIL = 'https://evil.example';
const apps: RunningApp[] = [];
after(() => Promise.all(apps.map((a) => a.close())));
async function express(variant: Parameters<typeof startExpress>[0]): Promise<string> {
  const app = await startExpress(variant);
  apps.push(app);
  return app.base;
}

describe('contracts that pass', () => {
  test('Express + cors, configured right: GET with cookie, PUT with JSON and a bearer token, deny list, expose', async () => {
    const base = await express('correct');
    const ran = await runContract(`version: 1
base: ${base}
defaults:
  credentials: include
  cookie: session=ok
endpoints:
  - name: data
    url: /api/data
    allow: [${APP}]
    deny: [${EVIL}, "null", http://localhost:3000, ${ADMIN}, http://app.myshop.test]
    expose: [X-Request-Id]
  - name: update
    url: /api/data
    method: PUT
    headers: { Content-Type: application/json, Authorization: Bearer t0k3n }
    data: '{"qty":1}'
    allow: [${APP}]
    deny: [${EVIL}]
`);
    assert.equal(ran.code, 0, ran.out);
    assert.equal(ran.json!['summary'].failed, 0);
    // 1 allow + 1 expose + 5 deny + findings; 1 allow + 1 deny + findings
    assert.equal(ran.json!['summary'].passed, 11);
    assert.equal(ran.sarif!['runs'][0].results.length, 0);
    assert.match(cases(ran)[0].summary, /^allowed \(GET 200\)$/);
    assert.equal(ran.json!['endpoints'][1].cases[0].summary, 'allowed (preflight 204, PUT 200)');
  });

  test('the same contract in JSON', async () => {
    const base = await express('correct');
    const ran = await runContract(
      JSON.stringify({
        version: 1,
        base,
        endpoints: [
          { url: '/api/data', allow: [APP], deny: [EVIL] },
          // XML's special characters and a control character XML 1.0 cannot hold: the JUnit file stays well-formed
          { name: 'feed <v2> & "beta"\u0001', url: '/api/data', allow: [APP] },
        ],
      }),
      [],
      'json',
    );
    assert.equal(ran.code, 0, ran.out);
    assert.equal(ran.json!['endpoints'][0].name, 'GET /api/data');
    assert.match(ran.junitText!, /<testsuite name="feed &lt;v2&gt; &amp; &quot;beta&quot;\uFFFD"/);
  });
});

describe('contracts that fail, one per kind of expectation', () => {
  test('allow: the server lists another origin → blocked, with Chrome’s line and the fix', async () => {
    const base = await express('other-origin-only');
    const ran = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}]\n`,
    );
    assert.equal(ran.code, 1);
    const c = failedCase(ran, `allows ${APP}`);
    assert.equal(c.ruleId, 'origin-not-allowed');
    assert.match(c.consoleLine, /has been blocked by CORS policy/);
    assert.match(c.fix, new RegExp(APP.replace(/\./g, '\\.')));
    const [result] = ran.sarif!['runs'][0].results;
    assert.equal(result.ruleId, 'origin-not-allowed');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    const rule = ran.sarif!['runs'][0].tool.driver.rules[result.ruleIndex];
    assert.match(rule.helpUri, /docs\/mistakes\/origin-not-allowed\.md$/);
  });

  test('allow, second origin: probes run once per endpoint, and again for an origin that is blocked (the cause)', async () => {
    const base = await express('correct'); // cors({ origin: [APP] }): ADMIN is not on the list
    const ran = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}, ${ADMIN}]\n`,
    );
    assert.equal(ran.code, 1);
    assert.equal(failedCase(ran, `allows ${ADMIN}`).ruleId, 'origin-not-allowed');
    const one = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - url: /api/data\n    allow: [${APP}]\n`,
    );
    const both = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - url: /api/data\n    allow: [${APP}, http://localhost:5173]\n`,
    );
    assert.equal(both.code, 1);
    // localhost:5173 is blocked: its check ran twice (1 request, then again with its own probes) …
    assert.ok(both.json!['summary'].requests > one.json!['summary'].requests + 1);
    // … and a second origin that passes costs its one request only
    const app = await express('reflect-credentials');
    const a = await runContract(
      `version: 1\nbase: ${app}\nendpoints:\n  - url: /api/data\n    allow: [${APP}]\n`,
    );
    const b = await runContract(
      `version: 1\nbase: ${app}\nendpoints:\n  - url: /api/data\n    allow: [${APP}, ${ADMIN}]\n`,
    );
    assert.equal(b.json!['summary'].requests, a.json!['summary'].requests + 1);
  });

  test('deny: cors({ origin: true, credentials: true }) reflects any origin → origin-reflected', async () => {
    const base = await express('reflect-credentials');
    const ran = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - name: data\n    url: /api/data\n    credentials: include\n    allow: [${APP}]\n    deny: [${EVIL}]\n`,
    );
    assert.equal(ran.code, 1);
    const c = failedCase(ran, `refuses ${EVIL}`);
    assert.equal(c.ruleId, 'origin-reflected');
    assert.match(c.summary, /allowed, but must be refused/);
    // reported once, as the deny failure's cause, not again as a finding left over
    assert.equal(ran.sarif!['runs'][0].results.filter((r: Doc) => r.ruleId === 'origin-reflected').length, 1);
    assert.ok(cases(ran).find((x) => x.kind === 'findings').passed);
  });

  test('deny "null": flask-cors with "null" in origins and credentials (Debian’s Flask)', {
    skip: pythonMissing('flask'),
  }, async () => {
    const app = await flask('null')();
    const ran = await runContract(
      `version: 1\nbase: ${app.base}\nendpoints:\n  - name: data\n    url: /api/data\n    credentials: include\n    cookie: session=ok\n    allow: [${APP}]\n    deny: ["null"]\n`,
    );
    assert.equal(ran.code, 1);
    assert.equal(failedCase(ran, 'refuses null').ruleId, 'null-origin-allowed');
  });

  test('deny http://localhost:3000: left in the Express allow-list', async () => {
    const base = await express('localhost-left-in');
    const ran = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - url: /api/data\n    credentials: include\n    allow: [${APP}]\n    deny: [http://localhost:3000]\n`,
    );
    assert.equal(ran.code, 1);
    assert.equal(failedCase(ran, 'refuses http://localhost:3000').ruleId, 'localhost-allowed');
  });

  test('expose: X-Request-Id not in Access-Control-Expose-Headers → header-not-exposed', async () => {
    const base = await express('not-exposed');
    const ran = await runContract(
      `version: 1\nbase: ${base}\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}]\n    expose: [X-Request-Id]\n`,
    );
    assert.equal(ran.code, 1);
    assert.ok(cases(ran).find((c) => c.title === `allows ${APP}`).passed);
    const c = failedCase(ran, `exposes X-Request-Id to ${APP}`);
    assert.equal(c.ruleId, 'header-not-exposed');
    assert.match(c.fix, /Access-Control-Expose-Headers/i);
  });

  test('findings: an echoed origin without Vary (Flask after_request) fails; ignore with a reason accepts it', {
    skip: pythonMissing('flask'),
  }, async () => {
    const app = await flask('echo-no-vary')();
    const contract = `version: 1\nbase: ${app.base}\nendpoints:\n  - name: feed\n    url: /api/data\n    credentials: include\n    cookie: session=ok\n    allow: [${APP}]\n    deny: [${EVIL}]\n`;
    const ran = await runContract(contract);
    assert.equal(ran.code, 1, ran.out);
    const c = failedCase(ran, 'no finding left unaccepted');
    assert.deepEqual(
      c.findings.map((f: Doc) => f.id),
      ['missing-vary-origin'],
    );
    const result = ran.sarif!['runs'][0].results[0];
    assert.equal(result.ruleId, 'missing-vary-origin');
    assert.equal(result.level, 'warning');
    assert.match(
      ran.junitText!,
      /<failure message="no finding left unaccepted: 1 finding: missing-vary-origin \(warning\)"/,
    );

    const accepted = await runContract(
      `${contract}ignore:\n  - finding: missing-vary-origin\n    endpoint: feed\n    reason: cached per URL on purpose\n`,
    );
    assert.equal(accepted.code, 0, accepted.out);
    assert.equal(accepted.json!['ignored'][0].matched, 1);
  });
});

describe('Django + django-cors-headers (Debian’s)', { skip: pythonMissing('django') }, () => {
  const contract = (base: string, extra = '') =>
    `version: 1\nbase: ${base}\ndefaults:\n  credentials: include\n  cookie: session=ok\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}, ${ADMIN}]\n    deny: [${EVIL}, "null"]\n    expose: [X-Request-Id]\n  - name: update\n    url: /api/private\n    method: PUT\n    headers: { Content-Type: application/json, Authorization: Bearer t0k3n }\n    data: '{"qty":1}'\n    allow: [${APP}]\n${extra}`;

  test('CorsMiddleware first with CORS_ALLOWED_ORIGINS: the contract passes', async () => {
    const app = await django('correct')();
    const ran = await runContract(contract(app.base));
    assert.equal(ran.code, 0, ran.out);
  });

  test('CORS_ALLOW_ALL_ORIGINS with credentials echoes any Origin: deny fails (adamchainz/django-cors-headers#296)', async () => {
    const app = await django('allow-all-credentials')();
    const ran = await runContract(contract(app.base));
    assert.equal(ran.code, 1);
    assert.equal(failedCase(ran, `refuses ${EVIL}`).ruleId, 'origin-reflected');
    assert.equal(failedCase(ran, 'refuses null').passed, false);
  });

  test('an auth middleware moved above CorsMiddleware: the preflight gets 401 (Flagsmith/flagsmith#54)', async () => {
    const app = await django('auth-above-cors')();
    const ran = await runContract(contract(app.base));
    assert.equal(ran.code, 1);
    const c = ran.json!['endpoints'][1].cases[0];
    assert.equal(c.passed, false);
    assert.equal(c.ruleId, 'preflight-failed-status');
    assert.match(c.summary, /preflight 401/);
  });
});

describe('the run itself', () => {
  let hang: Running;
  before(async () => {
    // Accepts, reads, never answers: the run's deadline must end it.
    hang = await listen(http.createServer(() => {}));
  });
  after(() => hang.close());

  test('an unreachable server fails its own endpoints with the network error, never the run', async () => {
    const base = await express('correct');
    const port = await refusedPort();
    const ran = await runContract(
      `version: 1\nendpoints:\n  - name: down\n    url: http://127.0.0.1:${port}/api/data\n    allow: [${APP}]\n    deny: [${EVIL}]\n  - name: up\n    url: ${base}/api/data\n    allow: [${APP}]\n`,
    );
    assert.equal(ran.code, 1);
    const [down, up] = ran.json!['endpoints'];
    assert.deepEqual(
      down.cases.map((c: Doc) => [c.kind, c.passed, c.ruleId]),
      [
        ['allow', false, 'network-error'],
        ['deny', false, 'network-error'],
      ],
    );
    assert.match(down.cases[1].summary, /ERR_CONNECTION_REFUSED/);
    assert.ok(up.cases.every((c: Doc) => c.passed));
  });

  test('--timeout bounds the whole run: a server that never answers fails, the run ends on time', async () => {
    const endpoints = Array.from(
      { length: 6 },
      (_, i) => `  - url: ${hang.url}/slow/${i}\n    allow: [${APP}]\n`,
    ).join('');
    const started = Date.now();
    const ran = await runContract(`version: 1\nendpoints:\n${endpoints}`, [
      '--timeout',
      '1s',
      '--concurrency',
      '2',
    ]);
    const took = Date.now() - started;
    assert.ok(took < 4000, `took ${took} ms`);
    assert.equal(ran.code, 1);
    assert.equal(ran.json!['summary'].failed, 6);
    assert.equal(ran.json!['summary'].timedOut, true);
  });

  test('--only runs the named endpoints; an unknown name is a usage error naming the real ones', async () => {
    const base = await express('correct');
    const contract = `version: 1\nbase: ${base}\nendpoints:\n  - name: a\n    url: /api/data\n    allow: [${APP}]\n  - name: b\n    url: /nowhere\n    allow: [${APP}]\n`;
    const ran = await runContract(contract, ['--only', 'a']);
    assert.equal(ran.code, 0);
    assert.deepEqual(
      ran.json!['endpoints'].map((e: Doc) => e.name),
      ['a'],
    );
    await assert.rejects(
      runContract(contract, ['--only', 'c']),
      /--only c: no such endpoint .* its endpoints are a, b/,
    );
  });

  test('--base runs the same contract against another deployment (staging)', async () => {
    const staging = await express('correct');
    const port = await refusedPort();
    const contract = `version: 1\nbase: http://127.0.0.1:${port}\nendpoints:\n  - url: /api/data\n    allow: [${APP}]\n`;
    assert.equal((await runContract(contract)).code, 1);
    const ran = await runContract(contract, ['--base', staging]);
    assert.equal(ran.code, 0, ran.out);
    assert.equal(ran.json!['endpoints'][0].url, `${staging}/api/data`);
    await assert.rejects(
      runContract(contract, ['--base', 'staging.example.com']),
      /--base 'staging\.example\.com' is not an absolute/,
    );
  });

  test('an identical request goes out once per run, and the summary counts what reached the server', async () => {
    const seen: string[] = [];
    let resetRoot = true;
    const api = await listen(
      http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.origin}`);
        // The first GET / fails: a failure is not shared, the next check that asks sends it again.
        if (req.url === '/' && resetRoot) {
          resetRoot = false;
          req.socket.destroy();
          return;
        }
        const cors: Record<string, string> =
          req.headers.origin === APP
            ? { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true' }
            : {};
        res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { ...cors, Vary: 'Origin' });
        res.end();
      }),
    );
    try {
      const endpoints = [0, 1, 2]
        .map((i) => `  - url: /api/items/${i}\n    allow: [${APP}]\n    deny: ["null"]\n`)
        .join('');
      const ran = await runContract(`version: 1\nbase: ${api.url}\nendpoints:\n${endpoints}`, [
        '--concurrency',
        '1',
      ]);
      assert.equal(ran.code, 0, ran.out);
      const count = (line: string): number => seen.filter((s) => s === line).length;
      // Every endpoint's root-path probe is the same request: the failed one, then one answer for the rest.
      assert.equal(count(`GET / ${APP}`), 2);
      assert.equal(count(`GET /api/items/cors-doctor-no-such-path ${APP}`), 1);
      // The deny origin's request is the probing check's origin-null probe.
      for (const i of [0, 1, 2]) assert.equal(count(`GET /api/items/${i} null`), 1);
      assert.equal(ran.json!['summary'].requests, seen.length);
    } finally {
      await api.close();
    }
  });

  test('pool keeps at most N in flight and the results in order', async () => {
    let now = 0;
    let peak = 0;
    const out = await pool([5, 1, 4, 2, 3, 0], 3, async (x) => {
      peak = Math.max(peak, ++now);
      await new Promise((r) => setTimeout(r, x * 5));
      now--;
      return x * 2;
    });
    assert.deepEqual(out, [10, 2, 8, 4, 6, 0]);
    assert.equal(peak, 3);
  });
});

describe('reports', () => {
  test('SARIF points at the contract relative to the working folder; text lists stale ignore entries', async () => {
    const base = await express('not-exposed');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await writeFile(
        join(dir, 'rel.yaml'),
        `version: 1\nbase: ${base}\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}]\n    expose: [X-Request-Id]\nignore:\n  - finding: missing-vary-origin\n    reason: public feed\n`,
      );
      const ctx = capture();
      assert.equal(await run(['rel.yaml', '--sarif', 'out/cors.sarif'], ctx), 1);
      const sarif: Doc = JSON.parse(await readFile(join(dir, 'out/cors.sarif'), 'utf8'));
      assert.ok(validateSarif(sarif), sarifAjv.errorsText(validateSarif.errors));
      const loc = (sarif as Doc).runs[0].results[0].locations[0].physicalLocation;
      assert.deepEqual([loc.artifactLocation.uri, loc.region.startLine], ['rel.yaml', 4]);
      assert.match(ctx.out, /✖ exposes X-Request-Id to https:\/\/app\.myshop\.test/);
      assert.match(ctx.out, /ignore at line 9: missing-vary-origin matched nothing in this run/);
      assert.match(ctx.out, /\n\d+ passed, 1 failed\n$/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('the report schema can fail: a run without its summary is rejected', () => {
    assert.throws(() =>
      validateReport('contract', {
        schemaVersion: 1,
        contract: 'x',
        valid: true,
        endpoints: [],
        ignored: [],
      }),
    );
    assert.throws(() =>
      validateReport('contract', { schemaVersion: 1, contract: 'x', valid: false, problems: [] }),
    );
  });
});

describe('invalid contracts', () => {
  test('exit 2, every problem with file:line:column and the fix, nothing sent', async () => {
    let hits = 0;
    const api = await listen(
      http.createServer((_q, s) => {
        hits++;
        s.end();
      }),
    );
    try {
      const file = join(dir, 'bad.yaml');
      await writeFile(
        file,
        `version: 1\nbase: ${api.url}\nendpoints:\n  - url: /a\n    allow: [https://app.example.com/]\n    deny: [null]\n  - url: /b\n    alow: [https://app.example.com]\n`,
      );
      const ctx = capture();
      assert.equal(await run([file], ctx), 2);
      assert.equal(ctx.out, '');
      assert.match(ctx.err, new RegExp(`${file}:5:13: 'https://app.example.com/' has a trailing slash`));
      assert.match(ctx.err, /fix: write https:\/\/app\.example\.com \(no trailing slash\)/);
      assert.match(ctx.err, new RegExp(`${file}:6:12: YAML reads an unquoted null`));
      assert.match(ctx.err, new RegExp(`${file}:8:5: unknown field 'alow'`));
      assert.match(ctx.err, /4 problems in .*: the contract was not run/);
      const json = await runContract(await readFile(file, 'utf8'));
      assert.equal(json.code, 2);
      assert.equal(json.json!['valid'], false);
      assert.equal(json.json!['problems'].length, 4);
      assert.equal(hits, 0);
    } finally {
      await api.close();
    }
  });

  test('no contract file: the message says how to write one', async () => {
    await assert.rejects(run([join(dir, 'none.yaml')], capture()), /not found; write one .* --init/);
  });
});

describe('--init', () => {
  test('writes a starting contract from what the server does; it parses and passes as written', async () => {
    const base = await express('correct');
    const file = join(dir, 'init.cors.yaml');
    const ctx = capture();
    assert.equal(await run(['--init', `${base}/api/data`, '--origin', APP, '--origin', EVIL, file], ctx), 0);
    const text = await readFile(file, 'utf8');
    const parsed = parseContract(text);
    assert.ok(parsed.ok, text);
    assert.deepEqual(
      parsed.contract.endpoints.map((e) => [e.allow, e.deny, e.expose]),
      [[[APP], [EVIL], ['x-request-id']]],
    );
    const again = capture();
    assert.equal(await run([file], again), 0, again.out);
    assert.match(again.out, /^\d+ passed, 0 failed$/m);
    await assert.rejects(
      run(['--init', `${base}/api/data`, '--origin', APP, file], capture()),
      /never overwrites/,
    );
    await assert.rejects(
      run(['--init', `${base}/api/data`, '--origin', `${APP}/`, '-'], capture()),
      /trailing slash/,
    );
  });
});
