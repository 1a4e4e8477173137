/** What a stack's generator returns: the fix, shortest form first, then where it goes. */
import type { FixCase } from './case.ts';

export interface GeneratedFix {
  /** The configuration or code to paste, complete for this case. */
  code: string;
  /** Where it goes, in one or two sentences. */
  where: string;
  /** What else to change for these findings (remove the other layer's headers, …). */
  notes: string[];
}

export type Generator = (c: FixCase) => GeneratedFix;
