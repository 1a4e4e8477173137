/**
 * `test --init`: a starting contract from what the servers do now. Each URL was checked from each origin;
 * an origin the browser model allowed goes under allow, a refused one under deny, and the headers an
 * allowed answer exposes beyond the safelisted ones under expose. The user reviews it: it records today's
 * behaviour, which may itself be the mistake (the findings are listed as comments for that reason).
 */
import { stringify } from 'yaml';
import { SAFELISTED_RESPONSE_HEADERS } from '../browser/response-headers.ts';
import type { ObservedCheck } from './evaluate.ts';
import { networkFailure } from './evaluate.ts';

export interface InitObservation {
  url: string;
  origin: string;
  report: ObservedCheck;
}

export function contractFromObservations(observations: readonly InitObservation[]): string {
  const byUrl = new Map<string, InitObservation[]>();
  for (const o of observations) byUrl.set(o.url, [...(byUrl.get(o.url) ?? []), o]);
  const comments: string[] = [];
  const endpoints = [...byUrl].map(([url, list]) => {
    const allow: string[] = [];
    const deny: string[] = [];
    const expose = new Set<string>();
    for (const o of list) {
      const net = networkFailure(o.report);
      if (net !== undefined) {
        comments.push(`# ${url} from ${o.origin}: no answer (${net}); left out, add it by hand`);
        continue;
      }
      if (o.report.browser.allowed) {
        allow.push(o.origin);
        for (const h of o.report.browser.readableHeaders)
          if (!(SAFELISTED_RESPONSE_HEADERS as readonly string[]).includes(h)) expose.add(h);
      } else deny.push(o.origin);
      for (const f of o.report.findings)
        if (f.severity !== 'info' && f.id !== 'origin-not-allowed' && f.id !== 'missing-allow-origin')
          comments.push(`# ${url} from ${o.origin}: ${f.severity} ${f.id}: ${f.title}`);
    }
    const path = new URL(url);
    const ep: Record<string, unknown> = { name: `${path.pathname}`, url };
    if (allow.length > 0) ep['allow'] = allow;
    if (deny.length > 0) ep['deny'] = deny;
    if (expose.size > 0) ep['expose'] = [...expose];
    return ep;
  });
  // Names must be unique; two URLs with one path (different hosts) keep the full URL as name.
  const seen = new Map<string, number>();
  for (const e of endpoints) seen.set(String(e['name']), (seen.get(String(e['name'])) ?? 0) + 1);
  for (const e of endpoints) if ((seen.get(String(e['name'])) ?? 0) > 1) e['name'] = e['url'];
  const head = [
    '# cors-doctor test contract, written by `cors-doctor test --init` from what the servers answer now.',
    '# Review it: today’s behaviour may be the mistake. Move origins between allow and deny as they should be,',
    '# add method/headers/credentials as the front end sends them, and run `cors-doctor test`.',
    ...(comments.length > 0 ? ['#', '# Seen while writing it:', ...[...new Set(comments)]] : []),
  ];
  return `${head.join('\n')}\n${stringify({ version: 1, endpoints }, { lineWidth: 0 })}`;
}
