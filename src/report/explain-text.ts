/**
 * Renders explain's result as text for a terminal (and JSON for scripts). Colour only when the context
 * allows it (TTY, no --no-color, no NO_COLOR).
 */
import { groupMessages, type MessageGroup } from '../explain/group.ts';
import type { Cause, ExplainedMessage, ExplainResult } from '../explain/types.ts';

const WIDTH = 100;

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s };
const ansi: Style = {
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  red: (s) => `\u001b[31m${s}\u001b[39m`,
  yellow: (s) => `\u001b[33m${s}\u001b[39m`,
  cyan: (s) => `\u001b[36m${s}\u001b[39m`,
};

const BROWSER = { chrome: 'Chrome', firefox: 'Firefox', safari: 'Safari' } as const;

/** Wraps `text` to WIDTH, first line after `lead`, the rest indented to the lead's width. */
function wrap(lead: string, text: string, indent = lead.length): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent) + w;
    } else {
      line += (empty ? '' : ' ') + w;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

function causeLines(c: Cause, s: Style): string[] {
  const label =
    c.likelihood === 'likely' ? 'Likely:  ' : c.likelihood === 'possible' ? 'Possible:' : 'Unlikely:';
  const number = c.mistake !== null ? `#${c.mistake} ` : '';
  const head = `   ${c.likelihood === 'likely' ? s.bold(label) : label} ${number}${c.title} ${s.dim(`[${c.id}]`)}`;
  const out = [head, wrap('             ', c.cause)];
  if (c.likelihood === 'likely') out.push(wrap('             Fix: ', c.fix, 13));
  return out;
}

/** Values longer than this are cut in the text (a 5 KB URL buries the reading); --json keeps them whole. */
const VALUE_MAX = 160;

function cut(x: string | number): string | number {
  const t = String(x);
  return t.length > VALUE_MAX ? `${t.slice(0, VALUE_MAX - 1)}… (${t.length} characters)` : x;
}

function valueRows(m: ExplainedMessage, s: Style): string[] {
  const v = m.values;
  const rows: [string, string | number | undefined][] = [
    ['url', v.url],
    ['redirected from', v.initialUrl],
    ['origin', v.origin],
    ['method', v.method],
    ['header', v.header],
    ['value', v.value !== undefined ? `'${v.value}'` : undefined],
    ['status', v.status],
    ['directive', v.directive],
    ['address space', v.addressSpace],
    ['net error', v.netError],
  ];
  return rows
    .filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '')
    .map(([k, x]) => `   ${s.dim(k.padEnd(15))} ${cut(x)}`);
}

function messageText(g: MessageGroup, index: number, s: Style): string {
  const m = g.message;
  const times = g.count > 1 ? ` ×${g.count}` : '';
  const what = `${BROWSER[m.browser]} · ${m.corsError}${m.preflight ? ' (preflight)' : ''}${times}`;
  if (g.sameAs !== undefined) {
    // Same browser, reason and origin as an earlier message: its causes and fix apply; only what differs.
    const out = [
      s.bold(`${index}. ${what}`),
      `   ${s.dim(`Same reading as ${g.sameAs}, for another request.`)}`,
    ];
    out.push(...valueRows(m, s));
    if (m.check) out.push(`   ${s.bold('Confirm:')} ${s.cyan(m.check)}`);
    return out.join('\n');
  }
  const out: string[] = [s.bold(`${index}. ${what}`), wrap('   ', m.summary)];
  const present = valueRows(m, s);
  if (present.length > 0) out.push('', ...present);
  if (m.causes.length > 0) {
    out.push('');
    for (const c of m.causes) out.push(...causeLines(c, s));
  }
  if (m.tellApart) out.push('', wrap(`   ${s.bold('How to tell:')} `, m.tellApart, 16));
  if (m.note) out.push('', wrap(`   ${s.bold('Note:')} `, m.note, 9));
  if (m.check) out.push('', `   ${s.bold('Confirm:')} ${s.cyan(m.check)}`);
  const docs = m.causes[0]?.docs;
  if (docs) out.push(`   ${s.dim(`More:    ${docs}`)}`);
  return out.join('\n');
}

export const NOTHING_FOUND_HEADER = 'No CORS message found in the text.';

/** The whole report. `accepts` lists what explain recognises (shown when nothing was found). */
export function renderExplainText(result: ExplainResult, color: boolean, accepts: readonly string[]): string {
  const s = color ? ansi : plain;
  if (result.messages.length === 0) {
    const lines = [s.bold(NOTHING_FOUND_HEADER)];
    for (const h of result.hints) lines.push('', wrap('', h, 0));
    lines.push('', 'explain recognises the browser console lines that say why a request was blocked:');
    for (const a of accepts) lines.push(wrap('  - ', a, 4));
    lines.push(
      '',
      'Copy the red line from the Console tab (right-click → Copy message) and run:',
      `  cors-doctor explain "<the line>"    or    pbpaste | cors-doctor explain`,
    );
    return `${lines.join('\n')}\n`;
  }
  const count = result.messages.length;
  const groups = groupMessages(result.messages);
  const distinct = groups.length < count ? `, ${groups.length} different` : '';
  const head = count === 1 ? '' : `${s.bold(`${count} messages recognised${distinct}`)}\n\n`;
  return `${head}${groups.map((g, i) => messageText(g, i + 1, s)).join('\n\n')}\n`;
}

/** JSON for scripts: one document, DESIGN.md "explain contract" (schemaVersion 1). */
export function renderExplainJson(result: ExplainResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
