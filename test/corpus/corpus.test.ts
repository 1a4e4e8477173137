/**
 * Runs every stack's corpus (./<stack>.ts) with the real `runCheck`: exact finding ids, verdicts, and
 * on correct configurations no error, security or warning finding (the noise budget). With
 * CORPUS_REPORT=<file> it also writes the confusion table over the whole corpus.
 * A stack whose server binary is missing skips loudly; with CI=true it must run.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FINDING_IDS, type FindingId } from '../../src/catalog/ids.ts';
import { getEntry } from '../../src/catalog/index.ts';
import { check } from '../diagnosis/framework-cases.ts';
import type { CorpusCase, StackCorpus } from './case.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'case.ts' && !f.startsWith('_'))
  .sort();
const corpora: StackCorpus[] = [];
for (const f of files) {
  const mod = (await import(new URL(f, import.meta.url).href)) as {
    corpus?: StackCorpus;
    corpora?: StackCorpus[];
  };
  if (mod.corpus !== undefined) corpora.push(mod.corpus);
  corpora.push(...(mod.corpora ?? []));
}

interface Outcome {
  stack: string;
  c: CorpusCase;
  got: FindingId[];
  gotSeverities: Record<string, string>;
  ok: boolean;
}
const outcomes: Outcome[] = [];

for (const corpus of corpora) {
  const missing = corpus.missing?.();
  const skip = missing !== undefined && process.env['CI'] !== 'true' ? `${corpus.stack}: ${missing}` : false;
  if (skip) console.warn(`SKIPPED corpus ${skip}`);
  describe(`corpus: ${corpus.stack}`, { skip }, () => {
    for (const c of corpus.cases) {
      test(c.name, c.known ? { todo: c.known } : {}, async () => {
        const report = await check(c);
        const got = report.findings.map((f) => f.id).sort();
        const outcome: Outcome = {
          stack: corpus.stack,
          c,
          got,
          gotSeverities: Object.fromEntries(report.findings.map((f) => [f.id, f.severity])),
          ok: false,
        };
        outcomes.push(outcome);
        const detail = report.findings.map((f) => `${f.id} (${f.severity}): ${f.detail}`).join('\n');
        assert.deepEqual(got, [...c.expect].sort(), `${c.name}\n${report.browser.chrome ?? ''}\n${detail}`);
        for (const [id, sev] of Object.entries(c.severity ?? {}))
          assert.equal(report.findings.find((f) => f.id === id)?.severity, sev, `${id} severity`);
        if (c.allowed !== undefined) assert.equal(report.browser.allowed, c.allowed, 'browser verdict');
        for (const [id, re] of Object.entries(c.details ?? {}))
          assert.match(report.findings.find((f) => f.id === id)?.detail ?? '', re as RegExp, `${id} detail`);
        if (c.correct) {
          assert.equal(report.browser.allowed, true, `allowed\n${report.browser.chrome}`);
          assert.deepEqual(
            report.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
            [],
            'no false alarm',
          );
        }
        for (const f of report.findings) {
          assert.ok(f.title.length > 0 && f.fix.summary.length > 0, `${f.id} has catalog words`);
          assert.ok(f.evidence.length > 0, `${f.id} has evidence`);
        }
        outcome.ok = true;
      });
    }
  });
}

after(async () => {
  const out = process.env['CORPUS_REPORT'];
  if (out) await writeFile(out, confusionTable(outcomes));
});

/** The confusion table: labelled id × reported ids, recall per id, mistake and stack, false alarms. */
function confusionTable(rows: Outcome[]): string {
  const lines: string[] = [];
  const pct = (a: number, b: number) => (b === 0 ? '–' : `${a}/${b} (${Math.round((100 * a) / b)}%)`);
  lines.push(
    `# Diagnosis corpus: ${rows.length} cases, ${rows.filter((r) => r.ok).length} exactly right`,
    '',
  );
  lines.push('## Recall per finding id (labelled → reported)', '');
  lines.push('| id | mistake | labelled | found | recall | reported instead |', '|---|---|---|---|---|---|');
  for (const id of FINDING_IDS) {
    const labelled = rows.filter((r) => r.c.expect.includes(id));
    if (labelled.length === 0) continue;
    const found = labelled.filter((r) => r.got.includes(id));
    const instead = new Map<string, number>();
    for (const r of labelled.filter((x) => !x.got.includes(id)))
      for (const g of [
        ...r.got.filter((x) => !r.c.expect.includes(x)),
        ...(r.got.length === 0 ? ['(nothing)'] : []),
      ])
        instead.set(g, (instead.get(g) ?? 0) + 1);
    const m = getEntry(id).mistake;
    lines.push(
      `| ${id} | ${m ?? '—'} | ${labelled.length} | ${found.length} | ${pct(found.length, labelled.length)} | ${[...instead].map(([k, n]) => `${k} ×${n}`).join(', ')} |`,
    );
  }
  lines.push('', '## Per mistake', '', '| mistake | cases labelled | found |', '|---|---|---|');
  for (let m = 1; m <= 12; m++) {
    const labelled = rows.filter((r) => r.c.expect.some((id) => getEntry(id).mistake === m));
    if (labelled.length === 0) continue;
    const found = labelled.filter((r) =>
      r.c.expect.filter((id) => getEntry(id).mistake === m).every((id) => r.got.includes(id)),
    );
    lines.push(`| ${m} | ${labelled.length} | ${pct(found.length, labelled.length)} |`);
  }
  lines.push(
    '',
    '## Per stack',
    '',
    '| stack | cases | exactly right | correct configs | false alarms |',
    '|---|---|---|---|---|',
  );
  for (const stack of [...new Set(rows.map((r) => r.stack))]) {
    const s = rows.filter((r) => r.stack === stack);
    const correct = s.filter((r) => r.c.correct);
    const alarms = correct.filter((r) => Object.values(r.gotSeverities).some((v) => v !== 'info'));
    lines.push(
      `| ${stack} | ${s.length} | ${pct(s.filter((r) => r.ok).length, s.length)} | ${correct.length} | ${alarms.length} |`,
    );
  }
  const unexpected = rows.filter((r) => !r.ok);
  lines.push('', '## Cases not exactly right', '');
  for (const r of unexpected)
    lines.push(
      `- ${r.stack}: ${r.c.name}: labelled [${r.c.expect.join(', ')}], reported [${r.got.join(', ')}]`,
    );
  const rounds = [1, 2].map((n) => rows.filter((r) => (r.c.round ?? 1) === n).length);
  lines.push('', `Cases written before the method changed: ${rounds[0]}; after: ${rounds[1]}.`, '');
  return `${lines.join('\n')}\n`;
}
