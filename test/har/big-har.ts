/**
 * A synthetic session of `n` requests in DevTools' format, built from the recorded session's entries
 * (same headers, same answers) on many URLs: for the size and speed figures and the stress test.
 */
import { readFileSync } from 'node:fs';

export function bigHar(n: number): { log: { entries: unknown[] } & Record<string, unknown> } {
  const base = JSON.parse(
    readFileSync(new URL('../fixtures/har/chromium-devtools.har', import.meta.url), 'utf8'),
  ) as {
    log: { entries: { request: { url: string }; _initiator?: { url?: string } }[] } & Record<string, unknown>;
  };
  const source = base.log.entries;
  const entries: unknown[] = [];
  for (let i = 0; entries.length < n; i++) {
    const e = structuredClone(source[i % source.length]!);
    const round = Math.floor(i / source.length);
    // Same server, another path each round: the analysis cannot shortcut by URL.
    const bump = (u: string) => u.replace(/\/api\/data/, `/api/data/${round}`);
    e.request.url = bump(e.request.url);
    if (e._initiator?.url) e._initiator.url = bump(e._initiator.url);
    entries.push(e);
  }
  return { log: { ...base.log, entries } };
}
