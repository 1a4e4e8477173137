// Writes docs/mistakes/*.md from the catalog (src/catalog). test/catalog/docs.test.ts fails when the
// committed pages differ from what this writes, so run it after changing the catalog:
//   node --import tsx scripts/gen-docs.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocs } from '../src/catalog/docs.ts';

const dir = fileURLToPath(new URL('../docs/mistakes/', import.meta.url));
mkdirSync(dir, { recursive: true });
const pages = renderDocs();
for (const name of readdirSync(dir)) {
  if (name.endsWith('.md') && !pages.has(name)) rmSync(join(dir, name)); // pages of ids that no longer exist
}
for (const [name, text] of pages) writeFileSync(join(dir, name), text);
console.log(`wrote ${pages.size} pages to docs/mistakes/`);
