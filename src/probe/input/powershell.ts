/**
 * `check --powershell "<DevTools 'Copy as PowerShell'>"`: the page's request from a pasted
 * Invoke-WebRequest command. Read, never run: strings, hashtables and the few statements DevTools writes
 * are tokenised here; a variable or sub-expression inside a string (which PowerShell would expand) is
 * refused, except the `$([char]N)` DevTools itself writes for characters outside printable ASCII.
 *
 * The shapes, from the generators' sources:
 * - Chrome/Edge (devtools-frontend NetworkLogView.generatePowerShellCommand): an optional
 *   `$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession` prelude carrying
 *   `$session.UserAgent = "…"` and one `$session.Cookies.Add((New-Object System.Net.Cookie("n", "v", "/",
 *   "domain")))` per cookie, then `Invoke-WebRequest -UseBasicParsing -Uri "…" -Method "PUT" -WebSession
 *   $session -Headers @{ "name"="value" … } -ContentType "…" -Body "…"`, parts joined by `` ` `` line
 *   continuations; a non-ASCII body as `-Body ([System.Text.Encoding]::UTF8.GetBytes("…"))`. Strings escape
 *   `` ` ``, `$` and `"` with a backtick. HTTP/2 pseudo-headers appear in -Headers without their colon
 *   ("authority", "method", "path", "scheme"); "Copy all as PowerShell" joins requests with `;`.
 * - Firefox (netmonitor's PowerShell generator): the same prelude for cookies, `-Method POST` unquoted,
 *   `-UserAgent "…"`, `"Name" = "value"` entries, -ContentType and -Body likewise.
 */
import type { HeaderLine } from '../../browser/types.ts';
import { PasteError } from './curl.ts';
import { fromPreflight, originOfReferrer, type PastedRequest, sortHeaders } from './pasted.ts';

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'nl' }
  | { t: 'op'; v: '@{' | '{' | '}' | '(' | ')' | '=' | ',' | ';' };

const WORD_END = /[\s"'(){};,=]/;

/** Tokenise; `` `<newline> `` continues a line, newlines and `;` end statements (and hashtable entries). */
export function powershellTokens(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '`' && /^`[ \t]*\r?\n/.test(text.slice(i, i + 40))) {
      i = text.indexOf('\n', i) + 1;
    } else if (c === '\n' || c === '\r') {
      if (out.at(-1)?.t !== 'nl') out.push({ t: 'nl' });
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === '\u201c' || c === '\u201d') {
      const [v, next] = doubleQuoted(text, i + 1);
      out.push({ t: 'str', v });
      i = next;
    } else if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new PasteError("the PowerShell text has an unclosed ' string");
        if (text[i] === "'" && text[i + 1] === "'") {
          v += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else v += text[i++];
      }
      out.push({ t: 'str', v });
    } else if (c === '@' && text[i + 1] === '{') {
      out.push({ t: 'op', v: '@{' });
      i += 2;
    } else if ('{}();,='.includes(c)) {
      out.push({ t: 'op', v: c as '{' });
      i++;
    } else {
      let v = '';
      while (i < text.length && !WORD_END.test(text[i]!)) v += text[i++];
      out.push({ t: 'word', v });
    }
  }
  return out;
}

const BACKTICK: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** A double-quoted string from after its opening quote: its value and the index after its closing quote. */
function doubleQuoted(text: string, from: number): [string, number] {
  let v = '';
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '`') {
      const n = text[i + 1];
      if (n === undefined) break;
      v += BACKTICK[n] ?? n;
      i += 2;
    } else if (c === '"' || c === '\u201c' || c === '\u201d') {
      if (text[i + 1] === '"') {
        v += '"';
        i += 2;
      } else return [v, i + 1];
    } else if (c === '$') {
      const ch = /^\$\(\[char\](\d{1,6})\)/i.exec(text.slice(i, i + 20));
      if (ch) {
        v += String.fromCodePoint(Number(ch[1]));
        i += ch[0].length;
      } else if (/^\$[\w{(:?]/.test(text.slice(i, i + 2))) {
        const what = /^\$(?:\{[^}]{0,40}\}?|\([^)]{0,40}\)?|[\w:?]{1,40})/.exec(text.slice(i))?.[0];
        throw new PasteError(
          `the PowerShell string holds '${what}', which PowerShell would expand; cors-doctor never runs the paste: write the value itself (or escape the $ with a backtick)`,
        );
      } else {
        v += c;
        i++;
      }
    } else {
      v += c;
      i++;
    }
  }
  throw new PasteError('the PowerShell text has an unclosed " string');
}

const INVOKE = /^(invoke-webrequest|iwr|invoke-restmethod|irm)$/i;
const FLAGS = new Set([
  '-usebasicparsing',
  '-disablekeepalive',
  '-passthru',
  '-skiphttperrorcheck',
  '-skipheadervalidation',
  '-skipcertificatecheck',
  '-allowinsecureredirect',
]);
const IGNORED_WITH_VALUE = new Set([
  '-timeoutsec',
  '-maximumredirection',
  '-maximumretrycount',
  '-retryintervalsec',
  '-outfile',
  '-sessionvariable',
  '-sv',
  '-useragent',
  '-erroraction',
]);

/** Parse a pasted Invoke-WebRequest command into the page's request. Throws PasteError naming what it cannot read. */
export function parsePowerShell(text: string): PastedRequest {
  if (text.trim() === '')
    throw new PasteError('the --powershell text is empty; paste DevTools "Copy as PowerShell"');
  const tokens = powershellTokens(text);
  // Statements at top level: split on newlines and `;` outside brackets.
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const tok of tokens) {
    if (tok.t === 'op' && (tok.v === '@{' || tok.v === '{' || tok.v === '(')) depth++;
    if (tok.t === 'op' && (tok.v === '}' || tok.v === ')')) depth--;
    if (depth === 0 && (tok.t === 'nl' || (tok.t === 'op' && tok.v === ';'))) {
      if (current.length > 0) statements.push(current);
      current = [];
    } else current.push(tok);
  }
  if (current.length > 0) statements.push(current);

  const cookies: string[] = [];
  let invoke: Token[] | undefined;
  for (const st of statements) {
    const first = st[0]!;
    const head = first.t === 'word' ? first.v : '';
    // `$response = Invoke-WebRequest …` (Chrome wrote the assignment in older versions).
    const body = /^\$\w+$/.test(head) && st[1]?.t === 'op' && st[1].v === '=' ? st.slice(2) : st;
    const verb = body[0]?.t === 'word' ? body[0].v : '';
    if (INVOKE.test(verb)) {
      if (invoke)
        throw new PasteError(
          'the PowerShell text holds several requests ("Copy all as PowerShell"); copy only the failing one',
        );
      invoke = body;
    } else if (/^new-object$/i.test(verb) && body[1]?.t === 'word' && /WebRequestSession$/i.test(body[1].v)) {
      // The session that carries cookies and the user agent: nothing of the page's own.
    } else if (/^\$\w+\.UserAgent$/i.test(head)) {
      // The browser's User-Agent, not the script's.
    } else if (/^\$\w+\.Cookies\.Add$/i.test(head)) {
      const strings = st.filter((t): t is { t: 'str'; v: string } => t.t === 'str').map((t) => t.v);
      if (strings.length < 2)
        throw new PasteError('a $session.Cookies.Add(…) line has no cookie name and value');
      cookies.push(`${strings[0]}=${strings[1]}`);
    } else {
      const shown = st
        .map((t) => (t.t === 'nl' ? ' ' : t.t === 'str' ? `"${t.v}"` : t.v))
        .join(' ')
        .slice(0, 60);
      throw new PasteError(
        `the PowerShell text has a statement cors-doctor does not read ('${shown}'); paste only DevTools "Copy as PowerShell"`,
      );
    }
  }
  if (!invoke)
    throw new PasteError(
      'the PowerShell text has no Invoke-WebRequest command; paste DevTools "Copy as PowerShell"',
    );

  let url: string | undefined;
  let method: string | undefined;
  let contentType: string | undefined;
  let body: string | undefined;
  let insecure = false;
  const lines: HeaderLine[] = [];
  let i = 1;
  const take = (name: string): string => {
    const tok = invoke![i++];
    if (tok?.t === 'str' || tok?.t === 'word') return tok.v;
    throw new PasteError(`PowerShell parameter ${name} needs a value`);
  };
  while (i < invoke.length) {
    const tok = invoke[i++]!;
    if (tok.t === 'word' && tok.v.startsWith('-')) {
      const p = tok.v.toLowerCase();
      if (p === '-uri') url = take(tok.v);
      else if (p === '-method') method = take(tok.v).toUpperCase();
      else if (p === '-contenttype') contentType = take(tok.v);
      else if (p === '-websession') take(tok.v);
      else if (p === '-headers') i = hashtable(invoke, i, lines);
      else if (p === '-body') {
        const next = invoke[i];
        if (next?.t === 'op' && next.v === '(') {
          // ([System.Text.Encoding]::UTF8.GetBytes("…")): Chrome's form for a body outside printable ASCII.
          const s = invoke.slice(i, i + 6);
          const ok =
            s[1]?.t === 'word' &&
            /^\[System\.Text\.Encoding\]::UTF8\.GetBytes$/i.test(s[1].v) &&
            s[3]?.t === 'str' &&
            s[5]?.t === 'op' &&
            s[5].v === ')';
          if (!ok || s[3]?.t !== 'str')
            throw new PasteError(
              '-Body is an expression cors-doctor does not read; give the body as a string',
            );
          body = s[3].v;
          i += 6;
        } else if (next?.t === 'op' && next.v === '@{') {
          const form: HeaderLine[] = [];
          i = hashtable(invoke, i + 1, form);
          body = form.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          contentType ??= 'application/x-www-form-urlencoded';
        } else body = take(tok.v);
      } else if (p === '-skipcertificatecheck') insecure = true;
      else if (FLAGS.has(p)) {
        // Changes nothing the server sees.
      } else if (IGNORED_WITH_VALUE.has(p)) take(tok.v);
      else
        throw new PasteError(
          `unknown Invoke-WebRequest parameter '${tok.v}' in --powershell; remove it or use the flags of check`,
        );
    } else if ((tok.t === 'str' || tok.t === 'word') && url === undefined) url = tok.v;
    else
      throw new PasteError(
        `unexpected ${tok.t === 'op' ? `'${tok.v}'` : `'${'v' in tok ? tok.v : ''}'`} in the Invoke-WebRequest command`,
      );
  }
  if (url === undefined) throw new PasteError('the Invoke-WebRequest command has no -Uri');

  if (contentType !== undefined) lines.push(['Content-Type', contentType]);
  const sorted = sortHeaders(lines);
  let finalMethod = method ?? 'GET';
  let headers = sorted.own;
  const notes: string[] = [];
  const announced = fromPreflight(finalMethod, sorted.acrm, sorted.acrh);
  if (announced) {
    finalMethod = announced.method;
    headers = announced.headers;
    notes.push('a copied preflight: checking the request it announced');
  }
  const origin = sorted.origin ?? originOfReferrer(sorted.referer);
  const out: PastedRequest = { url, method: finalMethod, headers, notes };
  if (origin !== undefined) out.origin = origin;
  if (announced) out.preflight = true;
  if (insecure) out.insecure = true;
  const cookie = [...cookies, sorted.cookie].filter((c) => c !== undefined).join('; ');
  if (cookie !== '') {
    out.cookie = cookie;
    // The browser sent cookies to another origin: the script asked for credentials: 'include'.
    out.credentials = 'include';
  }
  if (body !== undefined && !announced) out.body = body;
  return out;
}

/** Reads `@{ k = v; k2 = v2 … }` starting after `@{`; pushes the entries; returns the index after `}`. */
function hashtable(tokens: Token[], from: number, into: HeaderLine[]): number {
  let i = from;
  if (tokens[i - 1]?.t !== 'op' || (tokens[i - 1] as { v: string }).v !== '@{') {
    const tok = tokens[i];
    if (tok?.t !== 'op' || tok.v !== '@{')
      throw new PasteError('-Headers needs a hashtable: @{ "Name" = "value" }');
    i++;
  }
  for (;;) {
    const tok = tokens[i];
    if (tok === undefined) throw new PasteError('the -Headers hashtable is not closed with }');
    if (tok.t === 'nl' || (tok.t === 'op' && tok.v === ';')) {
      i++;
      continue;
    }
    if (tok.t === 'op' && tok.v === '}') return i + 1;
    const eq = tokens[i + 1];
    const value = tokens[i + 2];
    if (
      (tok.t !== 'str' && tok.t !== 'word') ||
      eq?.t !== 'op' ||
      eq.v !== '=' ||
      (value?.t !== 'str' && value?.t !== 'word')
    ) {
      throw new PasteError(
        'unreadable -Headers entry: write "Name" = "value", one per line or separated by ;',
      );
    }
    into.push([tok.v, value.v]);
    i += 3;
  }
}
