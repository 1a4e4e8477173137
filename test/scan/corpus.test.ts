/**
 * The scan corpus: small projects written the way real ones are (several files, unrelated code around the
 * CORS parts), one `-bad` and one `-clean` per language or config kind. Each project's `expected.json`
 * lists every finding as `<id> <file>:<line>` (plus ` info` in test files); the scan must produce exactly
 * that list: a missing finding is a miss, an extra one a false alarm. The `-clean` projects hold the
 * traps (public `*` without credentials, lists from the environment, localhost under a development
 * check, a comment naming cors-anywhere, a server setting Access-Control-Allow-Origin, anchored regexes).
 * The SARIF of the whole corpus is validated against the SARIF 2.1.0 JSON Schema, the JSON against
 * schemas/scan-report.schema.json.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import { walk } from '../../src/cli/commands/scan.ts';
import { scanReport, scanSarif } from '../../src/report/scan.ts';
import { type ScanFile, type ScanResult, scanFiles } from '../../src/scan/index.ts';

// A CommonJS module: its class is both module.exports and .default.
const AjvDraft04 = AjvDraft04Module.default;
const ROOT = new URL('../fixtures/scan/', import.meta.url).pathname;
const projects = readdirSync(ROOT).sort();

const line = (r: ScanResult) =>
  r.findings.map(
    (f) => `${f.id} ${f.location.file}:${f.location.line}${f.severity === 'info' ? ' info' : ''}`,
  );

describe('scan corpus: exact findings per project', () => {
  test('the corpus has a bad and a clean project for every kind', () => {
    const kinds = new Set(projects.map((p) => p.replace(/-(bad|clean)$/, '')));
    assert.ok(kinds.size >= 15, `only ${kinds.size} kinds`);
    for (const k of kinds) {
      // The Vue/HTML project is bad only (web-react-clean covers the traps); holdout-bad was labelled before it was run.
      if (k === 'web-vue' || k === 'holdout') continue;
      assert.ok(
        projects.includes(`${k}-bad`) && projects.includes(`${k}-clean`),
        `${k} needs -bad and -clean`,
      );
    }
  });
  for (const name of projects) {
    test(name, () => {
      const expected = (
        JSON.parse(readFileSync(join(ROOT, name, 'expected.json'), 'utf8')) as { findings: string[] }
      ).findings;
      const got = line(scanFiles(walk(join(ROOT, name)).files));
      assert.deepEqual(got, expected);
      if (name.endsWith('-clean')) assert.equal(got.length, 0, 'a clean project has no finding');
      if (name.endsWith('-bad')) assert.ok(got.length > 0);
    });
  }
});

function all(): ScanFile[] {
  return projects.flatMap((p) =>
    walk(join(ROOT, p)).files.map((f) => ({ path: `${p}/${f.path}`, text: f.text })),
  );
}

describe('scan reports', () => {
  const result = scanFiles(all());

  test('the SARIF log is valid SARIF 2.1.0 for code scanning', () => {
    const schema = JSON.parse(
      readFileSync(
        new URL(
          '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
          import.meta.url,
        ),
        'utf8',
      ),
    ) as object;
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
    const validate = ajv.compile(schema);
    const log = scanSarif(result, (f) => `repo/${f}`) as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string; properties: Record<string, unknown> }[] } };
        results: {
          ruleId: string;
          partialFingerprints: Record<string, string>;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    assert.ok(validate(log), ajv.errorsText(validate.errors));
    // The schema itself rejects a broken log (so the check above can fail).
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: {} }] }), false);
    const run = log.runs[0]!;
    assert.equal(run.results.length, result.findings.length);
    for (const r of run.tool.driver.rules) {
      assert.match(r.helpUri ?? '', /^https:\/\/.+\/docs\/mistakes\/[a-z-]+\.md$/);
      if (['origin-reflected', 'null-origin-allowed', 'origin-pattern-bypass'].includes(r.id))
        assert.match(String(r.properties['security-severity']), /^\d+\.\d$/);
    }
    const prints = new Set<string>();
    for (const r of run.results) {
      const loc = r.locations[0]!.physicalLocation;
      assert.match(loc.artifactLocation.uri, /^repo\/[^/]/, 'repository-relative URI');
      assert.ok(loc.region.startLine >= 1);
      const fp = r.partialFingerprints['corsDoctor/v1']!;
      assert.match(fp, /^[0-9a-f]{8}$/);
      prints.add(`${r.ruleId}${fp}`);
    }
    assert.equal(prints.size, run.results.length, 'fingerprints are unique');
  });

  test('the JSON report matches schemas/scan-report.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(new URL('../../schemas/scan-report.schema.json', import.meta.url), 'utf8'),
      ) as object,
    );
    const doc = scanReport(result, { ms: 12, skipped: 0 });
    assert.ok(validate(doc), ajv.errorsText(validate.errors));
    assert.equal(validate({ ...doc, schemaVersion: 2 }), false);
  });

  test('every finding names its catalog entry, a located snippet and a fix for its stack', () => {
    for (const f of result.findings) {
      assert.ok(f.title.length > 0 && f.fix.summary.length > 0, f.id);
      assert.ok(f.location.snippet.length > 0, `${f.location.file}:${f.location.line}`);
      assert.ok(f.location.endLine >= f.location.line);
    }
    const express = result.findings.find(
      (f) => f.stack === 'express' && f.id === 'headers-missing-on-errors',
    )!;
    assert.ok(express.fix.snippets.express, 'catalog snippet for the file’s stack');
  });
});
