/**
 * The catalog's data types: one entry per stable finding id (./ids.ts). Pure data, no I/O, so a web page
 * can import it unchanged.
 */
import type { CorsError } from '../browser/types.ts';
import { STACK_INFO, STACK_NAMES, type StackName } from '../fix/stacks.ts';
import type { FindingId, MistakeNumber, Severity } from './ids.ts';

/** Where an id sits: one of the twelve catalog mistakes, a security weakness, or a failure that is not CORS. */
export type EntryGroup = 'mistake' | 'security' | 'not-cors';

/** Which browser messages point to an entry. Empty lists mean the browser prints nothing for it. */
export interface Symptoms {
  /** What the developer notices, in plain words (also when no console line exists). */
  seen: string;
  /** Chromium CorsError values (DevTools protocol spelling) that can mean this entry. */
  chrome: readonly CorsError[];
  /** Firefox `security.properties` keys (e.g. `CORSMissingAllowOrigin2`). */
  firefox: readonly string[];
  /** WebKit reason strings, with `{…}` placeholders for the values it fills in. */
  safari: readonly string[];
  /** Other console lines (CSP, mixed content, net::ERR_…) that point here. */
  other: readonly string[];
}

export interface CatalogEntry {
  id: FindingId;
  /** The catalog's mistake number, or null for the security and not-CORS ids. */
  mistake: MistakeNumber | null;
  group: EntryGroup;
  title: string;
  severity: Severity;
  symptoms: Symptoms;
  /** Why it happens, in two or three sentences. */
  cause: string;
  /** What to change, in one or two sentences (the Finding's `fix.summary`). */
  fix: string;
}

/** The per-stack fix snippets for one id. A stack where the mistake cannot happen holds a note saying so. */
export type SnippetSet = Partial<Record<StackName, string>>;

/** A catalog entry with its fix snippets (what `getEntry` returns). */
export interface CatalogEntryWithFix extends CatalogEntry {
  snippets: SnippetSet;
}

/** Stacks in the order docs and reports list them (src/fix/stacks.ts owns the names). */
export const STACKS: readonly StackName[] = STACK_NAMES;
export { STACK_INFO };
