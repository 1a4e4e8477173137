/**
 * `cors-doctor har` end to end, in process: bad inputs each get one clear message and exit 2; the JSON
 * report matches its schema; --redact leaves no secret and diagnoses the same; --live confirms against a
 * real server (Express with a typo'd allow-list, on loopback) what a HAR cannot show.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/commands/har.ts';
import { type CommandContext, UsageError } from '../../src/cli/context.ts';
import { analyzeHar, parseHar } from '../../src/har/index.ts';
import { validateReport } from '../cli/schema.test.ts';

const FX = fileURLToPath(new URL('../fixtures/har/', import.meta.url));

function ctx(stdin?: string): CommandContext & { out: string; err: string } {
  const c = {
    out: '',
    err: '',
    color: false,
    stdin: (stdin !== undefined ? Readable.from([stdin]) : process.stdin) as CommandContext['stdin'],
    stdout(s: string) {
      c.out += s;
    },
    stderr(s: string) {
      c.err += s;
    },
  };
  return c;
}

async function usage(argv: string[], pattern: RegExp, stdin?: string): Promise<void> {
  await assert.rejects(run(argv, ctx(stdin)), (err: unknown) => {
    assert.ok(err instanceof UsageError, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cors-doctor-har-test-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('bad input: one message naming the fix, exit 2', () => {
  test('not JSON', () => usage([`${FX}edge/not-json.har`], /not JSON .*Save all as HAR/));
  test('JSON, not a HAR', () => usage([`${FX}edge/not-a-har.har`], /not a HAR: a HAR is \{"log"/));
  test('a HAR without entries', () => usage([`${FX}edge/no-entries.har`], /no log\.entries array/));
  test('an empty file', async () => {
    const f = join(dir, 'empty.har');
    await writeFile(f, '');
    await usage([f], /empty/);
  });
  test('no cross-origin request', () =>
    usage(
      [`${FX}edge/same-origin-only.har`],
      /no cross-origin request .*2 same-origin.*1 cross-origin, no-cors.*Preserve log/,
    ));
  test('a missing file', () => usage([join(dir, 'nope.har')], /cannot read .*ENOENT/));
  test('no file, two files, an unknown option', async () => {
    await usage([], /needs the HAR file/);
    await usage(['a.har', 'b.har'], /takes one HAR file/);
    await usage([`${FX}chromium-session.har`, '--frobnicate'], /unknown option '--frobnicate'/);
    await usage([`${FX}chromium-session.har`, '--stack', 'cobol'], /--stack 'cobol' is not one of/);
  });
  test('over the size limit: refused before reading, the limit named', () =>
    usage(
      [`${FX}chromium-session.har`, '--max-size', '0.01'],
      /is 0\.0\d+ MB, above the 0\.01 MB limit.*--max-size/,
    ));
  test('over the size limit on stdin: refused while streaming', () =>
    usage(['-', '--max-size', '0.001'], /stdin is over .* MB, above the 0\.001 MB limit/, 'x'.repeat(5000)));
  test('malformed entries are skipped and named, the rest analysed', async () => {
    const c = ctx();
    const code = await run([`${FX}edge/firefox-style.har`], c);
    assert.equal(code, 1);
    assert.match(
      c.out,
      /2 malformed entries skipped: #3 request\.method is missing; #4 the entry is not an object/,
    );
    assert.match(c.out, /2 cross-origin requests: 1 blocked, 1 allowed/);
  });
});

describe('reports', () => {
  test('--json matches schemas/har-report.schema.json (every fixture)', async () => {
    for (const f of [
      'chromium-devtools.har',
      'chromium-playwright.har',
      'chromium-session.har',
      'edge/firefox-style.har',
    ]) {
      const c = ctx();
      await run([`${FX}${f}`, '--json', '--stack', 'express'], c);
      const doc = JSON.parse(c.out) as { requests: { findings: { fix: { snippets: object } }[] }[] };
      validateReport('har', doc);
      for (const r of doc.requests)
        for (const fi of r.findings)
          assert.ok(
            Object.keys(fi.fix.snippets).every((k) => k === 'express'),
            f,
          );
    }
  });
  test('the schema rejects a broken report (so validation can fail)', () => {
    assert.throws(() => validateReport('har', { schemaVersion: 1, requests: [{}] }));
  });
  test('stdin (-) reads the HAR', async () => {
    const c = ctx(await readFile(`${FX}chromium-session.har`, 'utf8'));
    assert.equal(await run(['-'], c), 1);
    assert.match(c.out, /4 requests to 127\.0\.0\.1:\d+: mistake 4/);
  });
  test('secrets are never printed in full', async () => {
    for (const json of [false, true]) {
      const c = ctx();
      await run([`${FX}edge/firefox-style.har`, ...(json ? ['--json'] : [])], c);
      assert.ok(!c.out.includes('s1gn4tur3'), 'bearer token');
      assert.ok(!c.out.includes('very-secret-session'), 'cookie');
    }
  });
});

describe('--redact', () => {
  test('no secret survives; the copy diagnoses the same', async () => {
    for (const f of [
      'edge/firefox-style.har',
      'edge/mitmproxy-redirect.har',
      'chromium-playwright.har',
      'chromium-devtools.har',
    ]) {
      const out = join(dir, 'redacted.har');
      const c = ctx();
      await run([`${FX}${f}`, '--redact', out, '--json'], c);
      const text = await readFile(out, 'utf8');
      for (const secret of [
        's1gn4tur3',
        'very-secret-session',
        'rotated-secret',
        's3cr3t-t0ken',
        'a@b.c',
        't0k3n',
        'session=ok',
      ])
        assert.ok(!text.includes(secret), `${f}: ${secret} left in the redacted copy`);
      assert.match(c.err, /wrote .*redacted\.har: \d+ header values/);
      const before = parseHar(await readFile(`${FX}${f}`, 'utf8'));
      const after = parseHar(text);
      assert.ok(before.ok && after.ok);
      const a = analyzeHar(before.har).requests;
      const b = analyzeHar(after.har).requests;
      assert.equal(b.length, a.length);
      a.forEach((r, i) => {
        assert.equal(b[i]!.verdict?.allowed, r.verdict?.allowed, `${f} #${r.entry}`);
        assert.deepEqual(
          b[i]!.findings.map((x) => x.id),
          r.findings.map((x) => x.id),
          `${f} #${r.entry}`,
        );
      });
    }
  });
});

describe('--live: confirms what the HAR cannot show, against a real server', () => {
  test("a typo'd allow-list (trailing slash) reads as a missing Allow-Origin offline, origin-mismatch live", async () => {
    const { startExpress } = await import('../harness/apps/express.ts');
    const { APP } = await import('../harness/apps/common.ts');
    const app = await startExpress('trailing-slash');
    try {
      // A Firefox-style HAR: the blocked GET recorded with its response headers (no reason given).
      const har = {
        log: {
          version: '1.2',
          creator: { name: 'Firefox', version: '128.0' },
          pages: [{ id: 'page_1', title: 'shop' }],
          entries: [
            {
              pageref: 'page_1',
              request: {
                method: 'GET',
                url: `${app.base}/api/data`,
                headers: [{ name: 'Origin', value: APP }],
              },
              response: { status: 200, headers: [{ name: 'X-Powered-By', value: 'Express' }] },
            },
            {
              pageref: 'page_1',
              request: {
                method: 'PUT',
                url: `${app.base}/api/data`,
                headers: [
                  { name: 'Origin', value: APP },
                  { name: 'Content-Type', value: 'application/json' },
                ],
              },
              response: { status: 0, headers: [] },
            },
          ],
        },
      };
      const f = join(dir, 'live.har');
      await writeFile(f, JSON.stringify(har));
      const offline = ctx();
      await run([f, '--json'], offline);
      const o = JSON.parse(offline.out) as {
        requests: {
          findings: { id: string }[];
          browser: { allowed: boolean | null };
          live: { probes: string[] };
        }[];
      };
      assert.deepEqual(
        o.requests[0]!.findings.map((x) => x.id),
        ['missing-allow-origin'],
      );
      assert.ok(o.requests[0]!.live.probes.length > 0);
      assert.equal(o.requests[1]!.browser.allowed, null);
      const live = ctx();
      const code = await run([f, '--json', '--live', '--timeout', '8s', '--concurrency', '2'], live);
      assert.equal(code, 1);
      const l = JSON.parse(live.out) as {
        summary: { live: number };
        requests: {
          findings: { id: string }[];
          live: { result?: { allowed: boolean; findings: { id: string }[] } };
        }[];
      };
      validateReport('har', l);
      assert.equal(l.summary.live, 2);
      assert.deepEqual(
        l.requests[0]!.findings.map((x) => x.id),
        ['origin-mismatch'],
      );
      assert.equal(l.requests[1]!.live.result?.allowed, false);
      assert.ok(l.requests[1]!.live.result?.findings.some((x) => x.id === 'origin-mismatch'));
    } finally {
      await app.close();
    }
  });
});

test('every har --flag is in --help and in the README section, and nothing else is', async () => {
  const { HELP } = await import('../../src/cli/commands/har.ts');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## `har`');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const flags = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]));
  const help = flags(HELP);
  // The sample output's `confirm: cors-doctor check …` lines carry check's flags, not har's.
  const inReadme = flags(
    section
      .split('\n')
      .filter((l) => !l.includes('cors-doctor check'))
      .join('\n'),
  );
  for (const f of [
    '--json',
    '--stack',
    '--browser',
    '--live',
    '--concurrency',
    '--timeout',
    '--redact',
    '--max-size',
  ])
    assert.ok(help.has(f) && inReadme.has(f), f);
  for (const f of inReadme) assert.ok(help.has(f), `README names ${f}, --help does not`);
  const c = ctx();
  await run(['--help'], c);
  assert.equal(c.out, HELP);
});

describe('a proxy HAR (mitmproxy): no pages, preflight before its request, a redirect chain', () => {
  test('the chain is followed and judged as Chromium would (Origin: null after a cross-origin redirect)', async () => {
    const p = parseHar(await readFile(`${FX}edge/mitmproxy-redirect.har`, 'utf8'));
    assert.ok(p.ok);
    assert.equal(p.har.recordsFailures, false);
    const a = analyzeHar(p.har);
    assert.equal(a.requests.length, 2);
    const [put, get] = a.requests;
    assert.equal(put!.preflight.entry, 0);
    assert.equal(put!.verdict?.allowed, true);
    assert.equal(put!.recorded.failed, null, 'a proxy never sees what the browser decided');
    assert.deepEqual(get!.hops, [3]);
    assert.equal(get!.verdict?.allowed, false);
    assert.equal(get!.verdict?.corsError, 'AllowOriginMismatch');
    assert.match(
      get!.verdict?.messages.chrome ?? '',
      /\(redirected from 'https:\/\/api\.example\.com\/files\/42'\)/,
    );
    assert.match(get!.findings[0]?.detail ?? '', /Origin: null/);
  });
});

test("a Firefox HAR is reported in Firefox's console wording unless --browser says otherwise", async () => {
  const c = ctx();
  await run([`${FX}firefox.har`], c);
  assert.match(
    c.out,
    /Firefox: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at/,
  );
  const d = ctx();
  await run([`${FX}firefox.har`, '--browser', 'chrome'], d);
  assert.match(d.out, /Chrome: Access to fetch at '/);
});
