/**
 * The real-server corpus: each case is a real server (npm framework or Debian package, started on
 * loopback by the test), built the way people build it, with one of the catalog's mistakes or a correct
 * configuration, the page's request, and the exact finding ids `check` must report (the label: what a
 * CORS expert would say is wrong, never what the tool happened to print).
 *
 * One file per stack in this folder (`<stack>.ts`) exports `corpus: StackCorpus`; `corpus.test.ts` runs
 * them all and, with CORPUS_REPORT=<file>, writes the confusion table (labelled × reported, recall per
 * mistake and per stack, false alarms on correct configurations).
 */
import type { PageRequest } from '../../src/browser/types.ts';
import type { Case } from '../diagnosis/framework-cases.ts';

export type { Case };

export interface CorpusCase extends Case {
  /**
   * Where the mistake comes from: an issue tracker thread, a Q&A question, a framework doc's warning
   * (a URL or "owner/repo#123"), so the case is a real report, not one written from the tool's output.
   */
  source?: string;
  /** 1: written before the diagnosis method changed (issue 10); 2: written after it. */
  round?: 1 | 2;
  /**
   * A known miss: why `check` cannot reach the label today (the evidence is on a URL no probe can
   * know). The case still runs and counts in the confusion table; its failure is reported as a todo.
   */
  known?: string;
}

export interface StackCorpus {
  /** The stack as `check --stack` spells it (express, flask, django, rails, php, go, apache, …). */
  stack: string;
  /** Set when the stack cannot run on this machine (a missing binary): the reason, e.g. the package. */
  missing?: () => string | undefined;
  cases: CorpusCase[];
}

/** The page's request shapes the corpus files share (`request: JSON_PUT`, `...WITH_COOKIE`). */
export const JSON_PUT: Partial<PageRequest> = {
  method: 'PUT',
  headers: [['Content-Type', 'application/json']],
};
export const WITH_COOKIE = { request: { credentials: 'include' as const }, cookie: 'session=ok' };
export const ANON = { request: { credentials: 'omit' as const } };
export const BEARER: Partial<PageRequest> = {
  method: 'GET',
  headers: [['Authorization', 'Bearer t0k3n']],
  credentials: 'include',
};
export const BEARER_PUT: Partial<PageRequest> = {
  method: 'PUT',
  headers: [
    ['Content-Type', 'application/json'],
    ['Authorization', 'Bearer t0k3n'],
  ],
  credentials: 'include',
};
