/**
 * The mistake catalog: every stable finding id with its words (title, severity, symptoms per browser,
 * cause, fix) and its fix snippets per stack. Pure data.
 *
 *   getEntry('missing-allow-origin').snippets.express
 *   MISTAKES[0].title
 */
import { ENTRIES, entryWords } from './entries.ts';
import { FINDING_IDS, type FindingId, type MistakeNumber } from './ids.ts';
import { snippetsFor } from './snippets.ts';
import type { CatalogEntry, CatalogEntryWithFix } from './types.ts';

export { PUBLIC_CORS_PROXY_HOSTS, publicCorsProxyHost } from './cors-proxies.ts';
export { ENTRIES, entryWords } from './entries.ts';
export type { FindingId, MistakeNumber, Severity } from './ids.ts';
export { FINDING_IDS, isFindingId } from './ids.ts';
export { snippetsFor } from './snippets.ts';
export type { CatalogEntry, CatalogEntryWithFix, EntryGroup, SnippetSet, Symptoms } from './types.ts';
export { STACK_INFO, STACKS } from './types.ts';

const cache = new Map<FindingId, CatalogEntryWithFix>();

/** The full entry for an id: words plus fix snippets by stack. */
export function getEntry(id: FindingId): CatalogEntryWithFix {
  let entry = cache.get(id);
  if (!entry) {
    entry = { ...entryWords(id), snippets: snippetsFor(id) };
    cache.set(id, entry);
  }
  return entry;
}

/** Every entry, in FINDING_IDS order, with snippets. */
export function allEntries(): CatalogEntryWithFix[] {
  return FINDING_IDS.map(getEntry);
}

/** The twelve catalog mistakes, 1 to 12: the number, its title and the ids that report it. */
export interface Mistake {
  mistake: MistakeNumber;
  title: string;
  ids: FindingId[];
}

const MISTAKE_TITLES: Record<MistakeNumber, string> = {
  1: 'No Access-Control-Allow-Origin header',
  2: 'Wildcard origin with credentials',
  3: 'Preflight (OPTIONS) not handled',
  4: 'CORS headers only on successful responses',
  5: 'Duplicate CORS headers',
  6: 'No Vary: Origin',
  7: 'Typo in the allowed origins',
  8: 'localhost allowed in production',
  9: 'Custom response headers not exposed',
  10: 'Content-Security-Policy, not CORS',
  11: 'A CORS proxy in production',
  12: 'CORS headers set by the front end',
};

export const MISTAKES: readonly Mistake[] = (
  Object.entries(MISTAKE_TITLES) as unknown as [string, string][]
).map(([n, title]) => {
  const mistake = Number(n) as MistakeNumber;
  return { mistake, title, ids: ENTRIES.filter((e: CatalogEntry) => e.mistake === mistake).map((e) => e.id) };
});
