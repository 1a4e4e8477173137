/**
 * Mistake 5: two layers both add CORS headers. Chromium reads a header's lines joined with ', '
 * (GetNormalizedHeader), so two Access-Control-Allow-Origin lines — or one line holding a list — fail
 * as MultipleAllowOriginValues, and a doubled `true, true` credentials flag as InvalidAllowCredentials.
 * Which layers: the casing of the two lines (each layer writes its own), and the Server / Via /
 * X-Powered-By headers (a proxy in front of an app).
 */
import type { Exchange, HeaderList } from '../../browser/types.ts';
import { describe, headerLines, headerValue, responseOf } from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

const CHECKED = ['access-control-allow-origin', 'access-control-allow-credentials'];

function layers(headers: HeaderList, lines: (readonly [string, string])[]): string {
  const server = headerValue(headers, 'server');
  const via = headerValue(headers, 'via');
  const powered = headerValue(headers, 'x-powered-by');
  const casings = [...new Set(lines.map(([n]) => n))];
  const parts: string[] = [];
  if (casings.length > 1)
    parts.push(
      `The lines are written in different case (${casings.map((c) => `'${c}'`).join(' and ')}), so two different pieces of software wrote them`,
    );
  const front =
    via !== undefined
      ? `a proxy (Via: ${via})`
      : server !== undefined
        ? `the server software '${server}'`
        : undefined;
  const app = powered !== undefined ? `the application (X-Powered-By: ${powered})` : undefined;
  if (front !== undefined && app !== undefined) parts.push(`Likely ${front} and ${app} both add them`);
  else if (front !== undefined) parts.push(`Likely ${front} adds them on top of the application behind it`);
  else if (app !== undefined) parts.push(`Likely ${app} and a layer in front of it both add them`);
  return parts.length > 0
    ? ` ${parts.join('. ')}.`
    : ' Typical pairs: a proxy or gateway (nginx, a CDN) and the application.';
}

export const duplicateHeaders: Rule = {
  name: 'duplicate-cors-headers',
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    const seen: { ex: Exchange; name: string; lines: (readonly [string, string])[] }[] = [];
    for (const ex of main.exchanges) {
      const res = responseOf(ex);
      if (res === undefined) continue;
      for (const name of CHECKED) {
        const lines = headerLines(res.headers, name);
        const joined = lines.map(([, v]) => v).join(', ');
        const multi =
          lines.length > 1 ||
          (name === CHECKED[0] && /,/.test(joined)) ||
          (name === CHECKED[1] && /,/.test(joined));
        if (multi) seen.push({ ex, name, lines });
      }
    }
    const first = seen[0];
    if (first === undefined) return [];
    const res = responseOf(first.ex)!;
    const blocked =
      main.corsError === 'MultipleAllowOriginValues' ||
      main.corsError === 'PreflightMultipleAllowOriginValues' ||
      main.corsError === 'InvalidAllowCredentials' ||
      main.corsError === 'PreflightInvalidAllowCredentials';
    const oneLineList = first.lines.length === 1;
    const values = first.lines.map(([, v]) => v.trim());
    const detail = oneLineList
      ? `One ${first.lines[0]![0]} line holds several values ('${values[0]}'); the header takes exactly one. The server is sending its whole allow-list (or two layers were merged into one line).${layers(res.headers, first.lines)}`
      : `The ${first.ex.request.purpose === 'preflight' ? 'preflight' : 'response'} carries ${first.lines.length} ${first.lines[0]![0]} lines (${values.map((v) => `'${v}'`).join(', ')}); the browser reads them as one value '${values.join(', ')}' and rejects it.${layers(res.headers, first.lines)}`;
    // Every line as received (no dedupe: two identical lines are the evidence).
    const evidence = [describe(first.ex), ...first.lines.map(([n, v]) => `${n}: ${v}`)];
    for (const other of seen.slice(1))
      evidence.push(`${describe(other.ex)}: ${other.lines.map(([n, v]) => `${n}: ${v}`).join(' | ')}`);
    for (const n of ['server', 'via', 'x-powered-by']) {
      for (const [name, v] of headerLines(res.headers, n)) evidence.push(`${name}: ${v}`);
    }
    return [
      {
        id: 'duplicate-cors-headers',
        severity: blocked || first.name === CHECKED[0] ? 'error' : 'warning',
        detail,
        evidence,
        fixSummary: oneLineList
          ? `Send only the one origin that matched (here '${ctx.input.request.origin}'), never the list.`
          : undefined,
      },
    ];
  },
};
