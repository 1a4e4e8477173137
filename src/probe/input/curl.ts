/**
 * `check --curl "<DevTools 'Copy as cURL'>"`: the page's request from a pasted curl command, bash or cmd
 * flavour (both are DevTools menu items). The text is tokenised, never run: bash with shell-quote (no
 * variable expansion; operators like `|` or `;` are refused), cmd with its caret escapes and the MSVCRT
 * argument rules. Only the options DevTools writes, plus the common hand-written ones, are understood; any
 * other option is an error naming it, so nothing is silently misread.
 */
import { parse as shellParse } from 'shell-quote';
import type { HeaderLine } from '../../browser/types.ts';
import { fromPreflight, originOfReferrer, type PastedRequest, sortHeaders } from './pasted.ts';

export class PasteError extends Error {
  override name = 'PasteError';
}

/** Tokenise the bash flavour. */
export function bashWords(text: string): string[] {
  // Line continuations first: shell-quote turns `\<newline>` into an empty word.
  const joined = text.replace(/\\\r?\n/g, ' ');
  const words: string[] = [];
  for (const entry of shellParse(joined, (name) => `$${name}`)) {
    if (typeof entry === 'string') words.push(entry);
    else if ('comment' in entry) break;
    else if ('op' in entry && entry.op === 'glob') words.push((entry as { pattern: string }).pattern);
    else
      throw new PasteError(
        `the curl command contains a shell operator ('${'op' in entry ? entry.op : '?'}'); paste only the curl command`,
      );
  }
  return words;
}

/**
 * Tokenise the cmd flavour (DevTools escapeStringWin): cmd.exe first removes carets (`^x` → x, `^` at the
 * end of a line continues it), then the program splits its command line by the MSVCRT rules: whitespace
 * separates words outside double quotes; 2n backslashes before `"` give n backslashes and a quote toggle,
 * 2n+1 give n backslashes and a literal `"`; other backslashes are literal.
 */
export function cmdWords(text: string): string[] {
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '^') {
      s += c;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === '\r' && text[i + 2] === '\n') {
      i += 2;
      continue;
    }
    if (next === '\n') {
      i += 1;
      continue;
    }
    s += next;
    i += 1;
  }
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      let n = 0;
      while (s[i + n] === '\\') n++;
      if (s[i + n] === '"') {
        word += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) word += '"';
        else quoted = !quoted;
        i += n;
      } else {
        word += '\\'.repeat(n);
        i += n - 1;
      }
      inWord = true;
    } else if (c === '"' && quoted && s[i + 1] === '"') {
      // `""` inside quotes is one literal quote (MSVCRT since 2008): how older Chrome and Firefox
      // "Copy as cURL (cmd)" wrote a quote in a value.
      word += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) throw new PasteError('the cmd curl command has an unclosed quote');
  if (inWord) words.push(word);
  return words;
}

/** Options that take a value and change nothing about the browser's request. */
const IGNORED_WITH_VALUE = new Set([
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-x',
  '--proxy',
  '--capath',
  '--cert',
  '--key',
  '-w',
  '--write-out',
  '--retry',
  '-e',
  '--referer',
  '-A',
  '--user-agent',
  '--resolve',
  '--connect-to',
  '--limit-rate',
  '--max-redirs',
  '-c',
  '--cookie-jar',
]);
const IGNORED_FLAGS = new Set([
  '--compressed',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-v',
  '--verbose',
  '-i',
  '--include',
  '-k',
  '--insecure',
  '-L',
  '--location',
  '-g',
  '--globoff',
  '--http1.1',
  '--http2',
  '--http2-prior-knowledge',
  '--http3',
  '-f',
  '--fail',
  '-N',
  '--no-buffer',
  '-#',
  '--progress-bar',
  '-4',
  '-6',
  '--ipv4',
  '--ipv6',
]);
const DATA = new Set([
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-ascii',
  '--data-urlencode',
  '--json',
  '-F',
  '--form',
]);

/** Parse a pasted curl command into the page's request. Throws PasteError naming what it cannot read. */
export function parseCurl(text: string): PastedRequest {
  const trimmed = text.trim();
  if (trimmed === '') throw new PasteError('the --curl text is empty; paste DevTools "Copy as cURL"');
  // cmd flavour: caret escapes, `^` continuations, curl.exe (Firefox on Windows), or the older copies'
  // `""` doubled quotes with no single-quoted word (bash copies single-quote every value).
  const cmd =
    /\^"/.test(trimmed) ||
    /\^\r?\n/.test(trimmed) ||
    /^curl\.exe\s/i.test(trimmed) ||
    (/\S""/.test(trimmed) && !/\s\$?'/.test(trimmed));
  const words = cmd ? cmdWords(trimmed) : bashWords(trimmed);
  if (!/^curl(\.exe)?$/i.test(words[0] ?? '')) {
    throw new PasteError(
      `the --curl text does not start with 'curl' (starts with '${(words[0] ?? '').slice(0, 30)}'); paste DevTools "Copy as cURL"`,
    );
  }
  let url: string | undefined;
  let method: string | undefined;
  const lines: HeaderLine[] = [];
  const body: string[] = [];
  let cookie: string | undefined;
  let head = false;
  let get = false;
  let json = false;
  let form = false;
  let basic: string | undefined;
  let insecure = false;
  let globoff = false;
  let cacert: string | undefined;
  const notes: string[] = [];
  for (let i = 1; i < words.length; i++) {
    let w = words[i]!;
    let inline: string | undefined;
    // --opt=value and -Xvalue forms.
    if (w.startsWith('--') && w.includes('=')) {
      inline = w.slice(w.indexOf('=') + 1);
      w = w.slice(0, w.indexOf('='));
    } else if (/^-[XHbdueAFmo]./.test(w)) {
      inline = w.slice(2);
      w = w.slice(0, 2);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = words[i + 1];
      if (v === undefined) throw new PasteError(`curl option ${w} needs a value`);
      i++;
      return v;
    };
    if (!w.startsWith('-') || w === '-') {
      if (url !== undefined) throw new PasteError(`the curl command names two URLs ('${url}' and '${w}')`);
      url = w;
    } else if (w === '--url') url = value();
    else if (w === '-X' || w === '--request') method = value();
    else if (w === '-H' || w === '--header') {
      const line = value();
      const colon = line.indexOf(':');
      const semi = line.indexOf(';');
      if (colon > 0) {
        const v = line.slice(colon + 1).trim();
        // `Name:` with nothing after it tells curl to remove the header: nothing is sent.
        if (v !== '') lines.push([line.slice(0, colon).trim(), v]);
      } else if (semi > 0 && line.slice(semi + 1).trim() === '') {
        lines.push([line.slice(0, semi).trim(), '']);
      } else throw new PasteError(`curl header '${line}' is not "Name: value"`);
    } else if (w === '-b' || w === '--cookie') {
      const v = value();
      if (v.includes('=')) cookie = cookie ? `${cookie}; ${v}` : v;
      else notes.push(`cookie file '${v}' is not read`);
    } else if (DATA.has(w)) {
      body.push(value());
      if (w === '--json') json = true;
      if (w === '-F' || w === '--form') form = true;
    } else if (w === '-u' || w === '--user') basic = value();
    else if (w === '--cacert') cacert = value();
    else if (w === '-I' || w === '--head') head = true;
    else if (w === '-G' || w === '--get') get = true;
    else if (IGNORED_WITH_VALUE.has(w)) {
      const v = value();
      if (w === '-e' || w === '--referer') lines.push(['Referer', v]);
    } else if (IGNORED_FLAGS.has(w)) {
      if (w === '-k' || w === '--insecure') insecure = true;
      if (w === '-g' || w === '--globoff') globoff = true;
    } else throw new PasteError(`unknown curl option '${w}' in --curl; remove it or use the flags of check`);
  }
  if (url === undefined) throw new PasteError('the curl command has no URL');
  // Chrome and Safari escape [ ] { } in the URL for curl's globbing (`\[`); curl reads them as the
  // characters themselves, so does the page.
  if (!globoff) url = url.replace(/\\([[\]{}])/g, '$1');
  if (!/^https?:\/\//i.test(url)) url = /^[\w.-]+(:\d+)?(\/|$)/.test(url) ? `http://${url}` : url;
  if (json) {
    lines.push(['Content-Type', 'application/json']);
  }
  if (form && !lines.some(([n]) => n.toLowerCase() === 'content-type'))
    lines.push(['Content-Type', 'multipart/form-data; boundary=----cors-doctor']);
  if (basic !== undefined) lines.push(['Authorization', `Basic ${Buffer.from(basic).toString('base64')}`]);

  const sorted = sortHeaders(lines);
  let finalMethod = method ?? (head ? 'HEAD' : body.length > 0 && !get ? 'POST' : 'GET');
  let headers = sorted.own;
  const announced = fromPreflight(finalMethod, sorted.acrm, sorted.acrh);
  if (announced) {
    finalMethod = announced.method;
    headers = announced.headers;
    notes.push('a copied preflight: checking the request it announced');
  }
  if (body.length > 0 && !form && !json && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
    // curl -d sends this content type by default; so would a form post.
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  const origin = sorted.origin ?? originOfReferrer(sorted.referer);
  const out: PastedRequest = { url, method: finalMethod, headers, notes };
  if (origin !== undefined) out.origin = origin;
  if (announced) out.preflight = true;
  if (insecure) out.insecure = true;
  if (cacert !== undefined) out.cacert = cacert;
  if (sorted.cookie !== undefined || cookie !== undefined) {
    out.cookie = [cookie, sorted.cookie].filter((c) => c !== undefined).join('; ');
    // The browser sent cookies to another origin: the script asked for credentials: 'include'.
    out.credentials = 'include';
  }
  if (body.length > 0 && !announced && !get) out.body = body.join('&');
  return out;
}
