/**
 * The catalog as the diagnosis needs it: title, mistake number and fix per finding id, from the
 * catalog's own entries (src/catalog, getEntry). A rule may override the fix summary for its case.
 */
import type { FindingId, MistakeNumber } from '../catalog/ids.ts';
import { getEntry } from '../catalog/index.ts';
import type { StackName } from './types.ts';

export interface CatalogView {
  title: string;
  mistake: MistakeNumber | null;
  fix: { summary: string; snippets: Partial<Record<StackName, string>> };
}

export function catalogView(id: FindingId): CatalogView {
  const e = getEntry(id);
  return { title: e.title, mistake: e.mistake, fix: { summary: e.fix, snippets: { ...e.snippets } } };
}
