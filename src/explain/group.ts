/**
 * Grouping for readable reports of long pastes: the same console line repeated (a retry loop, React's
 * StrictMode double effect, one failing call per list item) is one message shown "×N"; distinct lines
 * that read the same (same browser, reason and origin, another URL) point back to the first one
 * instead of repeating its causes and fixes. The JSON keeps one entry per pasted message (DESIGN.md).
 */
import type { ExplainedMessage } from './types.ts';

export interface MessageGroup {
  message: ExplainedMessage;
  /** How many times this exact message was pasted. */
  count: number;
  /** 1-based number of the group shown with the full reading that also explains this one, if any. */
  sameAs?: number;
}

// The console line itself; the status a network line next to it added keeps 401 apart from 200, while
// a copy without its network line (status unknown) joins the first group of its line.
const lineKey = (m: ExplainedMessage) => JSON.stringify([m.browser, m.text]);
const readingKey = (m: ExplainedMessage) =>
  JSON.stringify([
    m.browser,
    m.corsError,
    m.preflight,
    m.problem,
    m.origin,
    m.values.header,
    m.values.status,
  ]);

/** Groups in first-pasted order. */
export function groupMessages(messages: readonly ExplainedMessage[]): MessageGroup[] {
  const groups: MessageGroup[] = [];
  const byLine = new Map<string, MessageGroup[]>();
  const firstReading = new Map<string, number>();
  for (const m of messages) {
    const key = lineKey(m);
    const status = m.values.status;
    const existing = byLine
      .get(key)
      ?.find(
        (g) =>
          status === undefined || g.message.values.status === undefined || g.message.values.status === status,
      );
    if (existing) {
      existing.count++;
      continue;
    }
    const group: MessageGroup = { message: m, count: 1 };
    const reading = readingKey(m);
    const first = firstReading.get(reading);
    if (first !== undefined) group.sameAs = first;
    else firstReading.set(reading, groups.length + 1);
    groups.push(group);
    byLine.set(key, [...(byLine.get(key) ?? []), group]);
  }
  return groups;
}

/** "1.3 MB" style size for messages about input that is too large (bytes or characters alike). */
export function humanSize(n: number): string {
  if (n < 1024) return `${n}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
