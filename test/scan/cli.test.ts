/**
 * `cors-doctor scan` end to end, in-process: the walker (.gitignore, node_modules, build output, vendored
 * code, large bundles), the exit codes, --json, --sarif, --stack, --skip-tests and bad input.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { run, walk } from '../../src/cli/commands/scan.ts';
import { UsageError } from '../../src/cli/context.ts';
import { capture } from '../cli/capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'cors-doctor-scan-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
const PROXY = "export const u = 'https://corsproxy.io/?https://api.example.net';\n";
mkdirSync(join(dir, '.git'));
write('.gitignore', 'generated/\n*.local.js\n');
write('web/src/api.js', PROXY);
write('web/src/api.test.js', PROXY);
write('web/src/ignored.local.js', PROXY);
write('web/generated/api.js', PROXY);
write('web/node_modules/lib/index.js', PROXY);
write('web/dist/bundle.js', PROXY);
write('web/vendor/jquery.js', PROXY);
write('web/nested/.gitignore', 'secret.js\n');
write('web/nested/secret.js', PROXY);
write('web/big.js', `${'x'.repeat(30_000)}\n${PROXY}`);
write(
  'deploy/nginx/site.conf',
  'server { location / { add_header Access-Control-Allow-Origin https://a.example.com; } }\n',
);
write('README.md', 'Do not use https://corsproxy.io/ in production.\n');

describe('scan: walker', () => {
  test('respects .gitignore (also nested), skips dependencies, build output, vendored code and bundles', () => {
    const w = walk(dir);
    assert.deepEqual(w.files.map((f) => f.path).sort(), [
      'deploy/nginx/site.conf',
      'web/src/api.js',
      'web/src/api.test.js',
    ]);
    assert.equal(w.skipped, 1);
  });
});

describe('scan: command', () => {
  test('text report, exit 1 on an error finding; test files at info', async () => {
    const ctx = capture();
    const code = await run([dir], ctx);
    assert.equal(code, 1);
    assert.match(ctx.out, /web\/src\/api\.js\n\s+1:18\s+warning\s+A public CORS proxy/);
    assert.match(ctx.out, /api\.test\.js\n\s+1:18\s+info/);
    assert.match(ctx.out, /site\.conf\n\s+1:23\s+error\s+.*headers-missing-on-errors \(mistake 4\)/);
    assert.match(ctx.out, /3 findings \(1 error, 0 security, 1 warning, 1 info\) in 3 files/);
  });
  test('--json matches its schema; --skip-tests drops test files; --stack filters', async () => {
    const ajv = new Ajv2020({ strict: true });
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(new URL('../../schemas/scan-report.schema.json', import.meta.url), 'utf8'),
      ) as object,
    );
    const ctx = capture();
    assert.equal(await run([dir, '--json', '--skip-tests', '--stack', 'browser'], ctx), 0);
    const doc = JSON.parse(ctx.out) as { findings: { id: string; location: { file: string } }[] };
    assert.ok(validate(doc), ajv.errorsText(validate.errors));
    assert.deepEqual(
      doc.findings.map((f) => `${f.id} ${f.location.file}`),
      ['cors-proxy-in-use web/src/api.js'],
    );
  });
  test('--sarif writes a log with paths from the repository root', async () => {
    const out = join(dir, 'out.sarif');
    await run([join(dir, 'web'), '--sarif', out], capture());
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris.sort(), ['web/src/api.js', 'web/src/api.test.js']);
  });
  test('bad input names the problem and the fix', async () => {
    await assert.rejects(
      run(['--stack', 'rails'], capture()),
      (e: unknown) => e instanceof UsageError && /unknown stack 'rails'.*use one of: browser/.test(e.message),
    );
    await assert.rejects(
      run([join(dir, 'README.md')], capture()),
      (e: unknown) => e instanceof UsageError && /is not a folder/.test(e.message),
    );
    await assert.rejects(
      run(['--sarif'], capture()),
      (e: unknown) => e instanceof UsageError && /--sarif needs a file name/.test(e.message),
    );
    await assert.rejects(
      run(['--fix'], capture()),
      (e: unknown) => e instanceof UsageError && /unknown option '--fix'/.test(e.message),
    );
  });
  test('--help lists every flag', async () => {
    const ctx = capture();
    await run(['--help'], ctx);
    for (const flag of ['--json', '--sarif', '--stack', '--skip-tests'])
      assert.ok(ctx.out.includes(flag), flag);
  });
});
