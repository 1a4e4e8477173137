import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderDocs } from '../../src/catalog/docs.ts';
import { FINDING_IDS } from '../../src/catalog/ids.ts';
import { STACK_INFO, STACKS } from '../../src/catalog/index.ts';

const dir = new URL('../../docs/mistakes/', import.meta.url);
const FIX = 'run `node --import tsx scripts/gen-docs.ts` and commit docs/mistakes';

describe('docs/mistakes', () => {
  const pages = renderDocs();

  it('has a page for every finding id, plus the index', () => {
    for (const id of FINDING_IDS) assert.ok(pages.has(`${id}.md`), id);
    assert.ok(pages.has('README.md'));
    assert.equal(pages.size, FINDING_IDS.length + 1);
  });

  it('holds exactly what the catalog generates (no drift)', () => {
    const onDisk = readdirSync(dir).filter((f) => f.endsWith('.md'));
    assert.deepEqual(onDisk.sort(), [...pages.keys()].sort(), `the set of pages differs: ${FIX}`);
    for (const [name, text] of pages) {
      assert.equal(
        readFileSync(new URL(name, dir), 'utf8'),
        text,
        `docs/mistakes/${name} differs from the catalog: ${FIX}`,
      );
    }
  });

  it('shows what you see, why and how to fix, with every stack on the twelve mistakes', () => {
    const page = pages.get('missing-allow-origin.md')!;
    for (const heading of ['## What you see', '## Why', '## How to fix', '## Confirm it']) {
      assert.ok(page.includes(heading), heading);
    }
    assert.match(page, /`MissingAllowOriginHeader`: `Access to fetch at/);
    assert.match(page, /`CORSMissingAllowOrigin2`/);
    for (const stack of STACKS) assert.ok(page.includes(`### ${STACK_INFO[stack].label}`), stack);
  });

  it('links every page from the index', () => {
    const index = pages.get('README.md')!;
    for (const id of FINDING_IDS) assert.ok(index.includes(`(${id}.md)`), id);
  });
});
