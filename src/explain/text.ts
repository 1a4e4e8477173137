/**
 * Turning a paste into text the message patterns can read, and the pattern-building helpers.
 *
 * Pastes come from DevTools, terminals, chat and e-mail: console prefixes (`VM123:1`, `app.js:12`,
 * `[Error]`, timestamps, `Uncaught (in promise)`), curly quotes (Firefox), ANSI colours, and line wraps in
 * the middle of a message or even of a word. Lines are cleaned one by one and kept apart by `\n`; every
 * fixed piece of a message pattern tolerates one optional whitespace character between any two of its
 * characters, so a wrap anywhere still matches, and every value capture has an upper bound, so matching
 * stays linear in the input (no nested or unbounded quantifiers).
 */

/** Largest paste accepted, in characters (a console dump of a few hundred lines). */
export const MAX_INPUT_CHARS = 256 * 1024;

const ANSI = /\u001b\[[0-9;?]{0,20}[A-Za-z]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * Prefixes DevTools and friends put before a message; removed repeatedly from the start of each line.
 * Each alternative is bounded.
 */
const LINE_PREFIX = new RegExp(
  [
    String.raw`\[(?:Error|Warning|Warn|Log|Info|Debug|Fehler)\]`, // Safari, Firefox console copies
    String.raw`\d{1,2}:\d{2}:\d{2}(?:\.\d{1,6})?`, // timestamps
    String.raw`Uncaught(?: \(in promise\))?:?`,
    String.raw`(?:\u274c|\u26a0\ufe0f?|\u2716|\u00d7|\u25b6|\u25ba)`, // icons copied with the message
    'Failed to load resource:', // Safari repeats its reason after this
    String.raw`(?![A-Za-z][A-Za-z0-9+.-]{0,30}://)[^\s:]{1,200}:\d{1,7}(?::\d{1,7})?(?=\s)`, // VM123:1, app.js:12:5, localhost/:1, (index):1
    '>',
  ]
    .map((p) => `(?:${p})`)
    .join('|'),
  'y',
);

/** Clean one pasted text into lines joined by `\n` (each trimmed, inner whitespace collapsed). */
export function normalizePaste(raw: string): string {
  const text = raw
    .replace(ANSI, '')
    .replace(INVISIBLE, '')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/\u00a0/g, ' ')
    .replace(/\r\n?/g, '\n');
  const out: string[] = [];
  for (const rawLine of text.split('\n')) {
    let line = rawLine.replace(/[\t\f\v ]+/g, ' ').trim();
    line = line.replace(/ ?\[Learn More\]/gi, '');
    for (let i = 0; i < 8; i++) {
      LINE_PREFIX.lastIndex = 0;
      const m = LINE_PREFIX.exec(line);
      if (!m || m[0].length === 0) break;
      line = line.slice(m[0].length).trimStart();
    }
    if (line) out.push(line);
  }
  return out.join('\n');
}

/**
 * A fixed piece of message text as a regex source: whitespace in `s` is dropped and one optional
 * whitespace character is allowed between any two characters, so both `has been` and `has\nbeen` and a
 * mid-word wrap `bloc\nked` match. Quotes accept `'` or `"` (MDN and blog copies change them).
 * Built with whole-string replaces (a NUL marks each character's end) rather than a loop over the
 * characters: ~150 sources are built on explain's cold path, where a per-character loop is slow.
 */
export function lit(s: string): string {
  const marked = s.replace(/\s+/g, '').replace(/[\s\S]/gu, '$&\0');
  return marked
    .replace(/([\\^$.*+?()[\]{}|/])\0/g, '\\$1\0')
    .replace(/['"]\0/g, `['"]\0`)
    .slice(0, -1)
    .replaceAll('\0', String.raw`\s?`);
}

/** Optional single whitespace (a space or a wrap) between pieces. */
export const WS = String.raw`\s?`;

/** Values copied out of a message: URLs, origins and names never contain whitespace, so wraps are removed. */
export function squash(value: string): string {
  return value.replace(/\s+/g, '');
}

/** Values that may legitimately hold spaces (header values): wraps become single spaces. */
export function tidy(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
