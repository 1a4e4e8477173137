/**
 * Server code in Python (Flask-CORS, django-cors-headers settings), Ruby (rack-cors), Java (Spring
 * `@CrossOrigin`, `CorsRegistry`, `CorsConfiguration`), Go (rs/cors, gin-contrib/cors), C# (ASP.NET Core
 * `AddCors` policies), PHP (`header()`, Laravel `config/cors.php`). No well-kept pure-JS parser exists for
 * most of these (tree-sitter needs native or wasm bindings the page could not load), so these are careful
 * patterns over comment-free text: each reads one construct whose meaning is fixed by its library, and
 * anything else (values from variables, the environment, other files) gives no finding.
 * What each library does with a value decides the finding: Spring and ASP.NET lower-case the configured
 * origins, Spring also drops a trailing slash; flask-cors compares case-insensitively and treats a string
 * with regex characters as a regex matched from the start; Django's and Python's regexes use re.match.
 */
import type { FindingId, Severity } from '../catalog/ids.ts';
import {
  checkOrigin,
  DEV_GUARD,
  isDevFile,
  isLoopbackOrigin,
  regexBypass,
  substringBypass,
} from './origins.ts';
import { blankComments } from './text.ts';
import type { Hit, ScanStack } from './types.ts';

export interface CodeScan {
  hits: Hit[];
  serverCors: number | null;
}

const PREFILTER = /access-control|cors|cross_?origin|http_origin|allowed_origins/i;

export function scanCode(kind: string, path: string, source: string): CodeScan {
  if (!PREFILTER.test(source)) return { hits: [], serverCors: null };
  const style = kind === 'python' || kind === 'ruby' ? 'hash' : kind === 'php' ? 'c+hash' : 'c';
  const text = blankComments(source, style);
  const s = new Scanner(path, text, stackFor(kind, path, text));
  switch (kind) {
    case 'python':
      s.python();
      break;
    case 'ruby':
      s.ruby();
      break;
    case 'java':
      s.java();
      break;
    case 'go':
      s.go();
      break;
    case 'csharp':
      s.csharp();
      break;
    case 'php':
      s.php();
      break;
  }
  s.handSet(kind);
  return { hits: s.hits, serverCors: s.serverCors };
}

function stackFor(kind: string, path: string, text: string): ScanStack {
  switch (kind) {
    case 'python':
      if (/fastapi|starlette/.test(text)) return 'fastapi';
      return /django|corsheaders|(^|\/)settings(\/[^/]+)?\.py$/.test(text + path) && !/flask/i.test(text)
        ? 'django'
        : 'flask';
    case 'ruby':
      return 'rack';
    case 'java':
      return 'spring';
    case 'go':
      return 'go';
    case 'csharp':
      return 'aspnet';
    default:
      return 'php';
  }
}

interface Str {
  value: string;
  start: number;
  end: number;
  regex?: boolean;
}

/** String (and regex, for Ruby) literals (only quote and backslash escapes undone: `\\.` in a pattern stays) in `text[from, to)`, with offsets of the whole literal. */
function literals(text: string, from: number, to: number, opts: { rubyRegex?: boolean } = {}): Str[] {
  const out: Str[] = [];
  const re = opts.rubyRegex
    ? /(?:[rRbBuUf]?)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?<=[\s,(=[]|^)\/((?:[^/\\\n]|\\.)+)\/[imx]*/g
    : /(?:[rRbBuU@$]?)("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    if (m[1]) {
      const raw = m[1].slice(1, -1);
      const isRaw = /^[rR@]/.test(m[0]) || m[1][0] === '`';
      out.push({
        value: isRaw ? raw : raw.replace(/\\(["'\\])/g, '$1'),
        start: m.index,
        end: m.index + m[0].length,
      });
    } else if (m[2]) out.push({ value: m[2], start: m.index, end: m.index + m[0].length, regex: true });
  }
  return out;
}

/** The text between the bracket at `open` and its match (exclusive), or to the end. */
function balanced(text: string, open: number): { start: number; end: number } {
  const o = text[open]!;
  const c = o === '(' ? ')' : o === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const q = ch;
      for (i++; i < text.length && text[i] !== q && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === o) depth++;
    else if (ch === c && --depth === 0) return { start: open + 1, end: i };
  }
  return { start: open + 1, end: text.length };
}

class Scanner {
  readonly hits: Hit[] = [];
  serverCors: number | null = null;
  private readonly dev: boolean;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly stack: ScanStack,
  ) {
    this.dev = isDevFile(path);
  }

  hit(
    id: FindingId,
    start: number,
    end: number,
    detail: string,
    extra: { severity?: Severity; fixSummary?: string } = {},
  ): void {
    this.hits.push({ id, start, end, stack: this.stack, detail, ...extra });
  }

  cors(at: number): void {
    this.serverCors ??= at;
  }

  /** Under an `if DEBUG:` / `if env.IsDevelopment()` / `if Rails.env.development?` (by indentation). */
  guarded(offset: number): boolean {
    if (this.dev) return true;
    const before = this.text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    let indent = /^[ \t]*/.exec(before.slice(lineStart))![0].length;
    const lines = before.slice(0, lineStart).split('\n').reverse();
    for (const line of lines) {
      if (line.trim() === '' || /^\s*[{}()]+\s*$/.test(line)) continue;
      const ind = /^[ \t]*/.exec(line)![0].length;
      if (ind < indent) {
        if (/^\s*(if|elif|unless|when|case|\}?\s*else\s*if|if\s*\()/.test(line) && DEV_GUARD.test(line))
          return true;
        indent = ind;
        if (ind === 0) break;
      }
    }
    // Same-line guards: `origins = ['http://localhost:3000'] if DEBUG else []`, `isDev ? … : …`
    const lineEnd = this.text.indexOf('\n', offset);
    const line = this.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    return /\bif\b|\?/.test(line) && DEV_GUARD.test(line);
  }

  origin(
    lit: Str,
    credentials: boolean | undefined,
    opts: {
      caseInsensitive?: boolean;
      trailingSlashOk?: boolean;
      literalStars?: boolean;
      bareHostOk?: boolean;
      reMatch?: boolean;
    } = {},
  ): void {
    if (lit.regex) {
      this.regex(lit, !!opts.reMatch);
      return;
    }
    for (const p of checkOrigin(lit.value, {
      credentials,
      guarded: this.guarded(lit.start),
      ...(opts.literalStars ? { literalStars: true } : {}),
    })) {
      if (opts.caseInsensitive && /capitals/.test(p.detail)) continue;
      if (opts.trailingSlashOk && /ends with a slash/.test(p.detail)) continue;
      this.hit(p.id, lit.start, lit.end, p.detail, {
        ...(p.severity ? { severity: p.severity } : {}),
        ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
      });
    }
  }

  regex(lit: Str, reMatch: boolean): void {
    let src = lit.value;
    if (reMatch && !src.startsWith('^')) src = `^${src}`; // re.match anchors at the start only
    const why = regexBypass(src);
    if (why)
      this.hit(
        'origin-pattern-bypass',
        lit.start,
        lit.end,
        `The origin pattern ${lit.value} can be bypassed: ${why}.`,
      );
  }

  /** Every match of `re` (global) with its index. */
  *all(re: RegExp): Generator<RegExpExecArray> {
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) yield m;
  }

  // ---- Python ---------------------------------------------------------------------------------------

  python(): void {
    const t = this.text;
    // Flask-CORS: CORS(app, …) and @cross_origin(…)
    for (const m of this.all(/\b(CORS|cross_origin)\s*\(/g)) {
      if (!/flask_cors|flask\.ext\.cors/.test(t)) break;
      const open = m.index + m[0].length - 1;
      const args = balanced(t, open);
      const body = t.slice(args.start, args.end);
      this.cors(m.index);
      const cred = /supports_credentials\s*=\s*True/.test(body)
        ? true
        : /supports_credentials\s*=/.test(body)
          ? undefined
          : false;
      const om = /\borigins\s*[=:]\s*/.exec(body);
      if (!om) {
        if (cred === true && !/\bresources\s*=\s*[A-Za-z_]/.test(body))
          this.hit(
            'origin-reflected',
            m.index,
            args.end + 1,
            "flask-cors with supports_credentials=True and no origins (the default '*') echoes every request Origin back with credentials: any web site can read the API as the logged-in user.",
            {
              fixSummary:
                "Pass origins=['https://app.example.com'] (the exact front-end origins) along with supports_credentials=True.",
            },
          );
        continue;
      }
      const vStart = args.start + om.index + om[0].length;
      const vEnd =
        t[vStart] === '[' || t[vStart] === '{' || t[vStart] === '('
          ? balanced(t, vStart).end + 1
          : Math.min(args.end, (/[,)\n]/.exec(t.slice(vStart))?.index ?? 0) + vStart);
      const lits = literals(t, vStart, vEnd);
      if (lits.length === 1 && lits[0]!.value === '*' && cred === true)
        this.hit(
          'origin-reflected',
          lits[0]!.start,
          lits[0]!.end,
          "flask-cors with origins='*' and supports_credentials=True echoes every request Origin back with credentials.",
          { fixSummary: 'List the exact front-end origins in origins=[…].' },
        );
      for (const l of lits) {
        const looksRegex = /[*\\\]?$^[()]/.test(l.value);
        if (l.value === '*') continue;
        if (looksRegex) this.regex({ ...l, regex: true }, true);
        else this.origin(l, cred, { caseInsensitive: true });
      }
    }
    // FastAPI / Starlette: app.add_middleware(CORSMiddleware, allow_origins=[…], allow_credentials=True)
    for (const m of this.all(/\badd_middleware\s*\(\s*CORSMiddleware\b/g)) {
      const args = balanced(t, t.indexOf('(', m.index));
      const body = t.slice(args.start, args.end);
      this.cors(m.index);
      const cred = /allow_credentials\s*=\s*True/.test(body)
        ? true
        : /allow_credentials\s*=/.test(body)
          ? undefined
          : false;
      const om = /\ballow_origins\s*=\s*\[/.exec(body);
      if (om) {
        const r = balanced(t, args.start + om.index + om[0].length - 1);
        for (const l of literals(t, r.start, r.end)) {
          // Starlette answers the request's own origin instead of '*' when credentials are allowed.
          if (l.value === '*') {
            if (cred === true)
              this.hit(
                'origin-reflected',
                l.start,
                l.end,
                "allow_origins=['*'] with allow_credentials=True: Starlette echoes the request Origin back with credentials, so any web site can read the API as the logged-in user.",
                { fixSummary: 'List the exact front-end origins in allow_origins (from the environment).' },
              );
          } else this.origin(l, cred);
        }
      }
      const rm = /\ballow_origin_regex\s*=\s*[rR]?(['"])(.+?)\1/.exec(body);
      if (rm) {
        // Starlette uses re.fullmatch: anchored at both ends, only unescaped dots can let an attacker in.
        const at = args.start + rm.index;
        this.regex(
          {
            value: `^${rm[2]!.replace(/^\^/, '').replace(/\$$/, '')}$`,
            start: at,
            end: at + rm[0].length,
            regex: true,
          },
          false,
        );
      }
    }
    // django-cors-headers settings
    const setting = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*`, 'm').exec(t);
    if (/CORS_|corsheaders/.test(t)) {
      const allowAll = setting('(CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)');
      const credM = setting('CORS_ALLOW_CREDENTIALS');
      const cred = credM
        ? /^True\b/.test(t.slice(credM.index + credM[0].length))
          ? true
          : /^False\b/.test(t.slice(credM.index + credM[0].length))
            ? false
            : undefined
        : false;
      if (allowAll || /CORS_ALLOWED_ORIGINS|CORS_ORIGIN_WHITELIST/.test(t))
        this.cors(allowAll?.index ?? t.search(/CORS_ALLOWED_ORIGINS|CORS_ORIGIN_WHITELIST/));
      if (
        allowAll &&
        /^True\b/.test(t.slice(allowAll.index + allowAll[0].length)) &&
        cred === true &&
        !this.guarded(allowAll.index + allowAll[0].length)
      )
        this.hit(
          'origin-reflected',
          allowAll.index + allowAll[0].length - allowAll[0].trimStart().length,
          allowAll.index + allowAll[0].length + 4,
          'CORS_ALLOW_ALL_ORIGINS = True with CORS_ALLOW_CREDENTIALS = True: django-cors-headers echoes every request Origin back with credentials, so any web site can read the API as the logged-in user.',
          {
            fixSummary:
              'Set CORS_ALLOWED_ORIGINS to the exact front-end origins and leave CORS_ALLOW_ALL_ORIGINS off (or True only under DEBUG).',
          },
        );
      for (const name of [
        'CORS_ALLOWED_ORIGINS',
        'CORS_ORIGIN_WHITELIST',
        'CORS_ALLOWED_ORIGIN_REGEXES',
        'CORS_ORIGIN_REGEX_WHITELIST',
      ]) {
        for (const m of this.all(new RegExp(`^\\s*${name}\\s*(\\+?=)\\s*([\\[(])`, 'gm'))) {
          const open = m.index + m[0].length - 1;
          const r = balanced(t, open);
          for (const l of literals(t, r.start, r.end)) {
            if (/REGEX/.test(name)) this.regex({ ...l, regex: true }, true);
            else this.origin(l, cred);
          }
        }
      }
      // CorsMiddleware must sit above CommonMiddleware (its APPEND_SLASH redirect) and anything that answers early.
      const mw = /^\s*MIDDLEWARE(_CLASSES)?\s*=\s*\[/m.exec(t);
      if (mw) {
        const r = balanced(t, mw.index + mw[0].length - 1);
        const list = literals(t, r.start, r.end);
        const ci = list.findIndex((l) => l.value === 'corsheaders.middleware.CorsMiddleware');
        const early = list.findIndex((l) =>
          /django\.middleware\.common\.CommonMiddleware|AuthenticationMiddleware$|whitenoise/.test(l.value),
        );
        if (ci > 0 && early >= 0 && early < ci)
          this.hit(
            'headers-missing-on-errors',
            list[ci]!.start,
            list[ci]!.end,
            `CorsMiddleware comes after ${list[early]!.value}: responses that middleware answers itself (the APPEND_SLASH redirect, errors) go out without CORS headers.`,
            {
              fixSummary:
                "Put 'corsheaders.middleware.CorsMiddleware' as high as possible in MIDDLEWARE, before CommonMiddleware.",
            },
          );
      }
    }
  }

  // ---- Ruby (rack-cors) -----------------------------------------------------------------------------

  ruby(): void {
    const t = this.text;
    if (!/Rack::Cors|rack\/cors/.test(t)) return;
    for (const m of this.all(/\ballow\s+do\b/g)) {
      this.cors(m.index);
      const next = t.slice(m.index + 8).search(/\ballow\s+do\b/);
      const blockEnd = next < 0 ? t.length : m.index + 8 + next;
      const block = t.slice(m.index, blockEnd);
      const cred = /credentials:\s*true/.test(block)
        ? true
        : /credentials:\s*false/.test(block) || !/credentials:/.test(block)
          ? false
          : undefined;
      const om = /\borigins\b\s*\(?/.exec(block);
      if (!om) continue;
      const start = m.index + om.index + om[0].length;
      const lineEnd = t.indexOf('\n', start);
      const lits = literals(t, start, lineEnd < 0 ? t.length : lineEnd, { rubyRegex: true });
      for (const l of lits) {
        if (l.regex && /^(\.\*|\.\+|\^\.\*\$)$/.test(l.value)) {
          if (cred === true)
            this.hit(
              'origin-reflected',
              l.start,
              l.end,
              `origins /${l.value}/ with credentials: true lets every origin in with cookies: any web site can read the API as the logged-in user.`,
            );
          continue;
        }
        if (l.value === '*') continue; // rack-cors refuses '*' with credentials at boot
        if (l.regex) this.regex(l, false);
        else if (isLoopbackOrigin(l.value) || /:\/\//.test(l.value) || l.value === 'null')
          this.origin(l, cred, { literalStars: false });
      }
    }
  }

  // ---- Java (Spring) --------------------------------------------------------------------------------

  java(): void {
    const t = this.text;
    const springOpts = { caseInsensitive: true, trailingSlashOk: true, literalStars: true };
    for (const m of this.all(/@CrossOrigin\b(\s*\()?/g)) {
      this.cors(m.index);
      const args = m[1]
        ? balanced(t, m.index + m[0].length - 1)
        : { start: m.index + m[0].length, end: m.index + m[0].length };
      const body = t.slice(args.start, args.end);
      const cred = /allowCredentials\s*=\s*"true"/.test(body);
      const pats = /originPatterns\s*=/.test(body);
      const lits = literals(t, args.start, args.end).filter((l) => {
        const before = t.slice(args.start, l.start);
        const key = /(\w+)\s*=\s*\{?[^=]*$/.exec(before)?.[1] ?? 'value';
        return key === 'origins' || key === 'value' || key === 'originPatterns';
      });
      const end = m[1] ? args.end + 1 : m.index + m[0].length;
      if (cred && (lits.length === 0 || lits.some((l) => l.value === '*'))) {
        if (pats)
          this.hit(
            'origin-reflected',
            m.index,
            end,
            'originPatterns = "*" with allowCredentials = "true": Spring echoes every request Origin back with credentials.',
          );
        else
          this.hit(
            'wildcard-with-credentials',
            m.index,
            end,
            '@CrossOrigin allows every origin ("*", the default) with allowCredentials = "true": Spring rejects the combination and answers without CORS headers.',
            {
              fixSummary:
                'Name the front-end origins: @CrossOrigin(origins = "https://app.example.com", allowCredentials = "true").',
            },
          );
      }
      for (const l of lits) if (l.value !== '*' && !pats) this.origin(l, cred, springOpts);
    }
    // registry.addMapping("/**").allowedOrigins(…).allowCredentials(true); CorsConfiguration setters
    for (const m of this.all(/\.addMapping\s*\(/g)) {
      this.cors(m.index);
      const end = t.indexOf(';', m.index);
      const chain = t.slice(m.index, end < 0 ? undefined : end);
      this.springChain(m.index, chain, springOpts);
    }
    if (/new\s+CorsConfiguration\s*\(/.test(t)) {
      this.cors(t.search(/new\s+CorsConfiguration\s*\(/));
      this.springChain(0, t, springOpts);
    }
  }

  private springChain(
    offset: number,
    chain: string,
    springOpts: { caseInsensitive: boolean; trailingSlashOk: boolean; literalStars: boolean },
  ): void {
    const cred = /(allowCredentials|setAllowCredentials)\s*\(\s*true\s*\)/.test(chain);
    for (const m of chain.matchAll(
      /\.?(allowedOrigins|setAllowedOrigins|addAllowedOrigin|allowedOriginPatterns|setAllowedOriginPatterns|addAllowedOriginPattern)\s*\(/g,
    )) {
      const open = offset + m.index! + m[0].length - 1;
      const r = balanced(this.text, open);
      const lits = literals(this.text, r.start, r.end);
      const patterns = /Pattern/.test(m[1]!);
      for (const l of lits) {
        if (l.value === '*') {
          if (!cred) continue;
          if (patterns)
            this.hit(
              'origin-reflected',
              l.start,
              l.end,
              `${m[1]}("*") with credentials: Spring echoes every request Origin back with credentials, so any web site can read the API as the logged-in user.`,
            );
          else
            this.hit(
              'wildcard-with-credentials',
              l.start,
              l.end,
              `${m[1]}("*") with allowCredentials(true): Spring rejects the combination and answers without CORS headers.`,
              { fixSummary: 'List the exact front-end origins in allowedOrigins(…).' },
            );
        } else if (!patterns) this.origin(l, cred, springOpts);
        else if (isLoopbackOrigin(l.value)) this.origin(l, cred, springOpts);
      }
    }
  }

  // ---- Go (rs/cors, gin-contrib/cors) ----------------------------------------------------------------

  go(): void {
    const t = this.text;
    for (const m of this.all(/\bcors\.(Options|Config)\s*\{/g)) {
      this.cors(m.index);
      const r = balanced(t, m.index + m[0].length - 1);
      const body = t.slice(r.start, r.end);
      const cred = /AllowCredentials:\s*true/.test(body);
      const listM = /AllowedOrigins:\s*\[\]string\s*\{|AllowOrigins:\s*\[\]string\s*\{/.exec(body);
      const fnM =
        /AllowOriginFunc:\s*func\s*\([^)]*\)\s*bool\s*\{/.exec(body) ??
        /AllowOriginRequestFunc:\s*func\s*\([^)]*\)\s*bool\s*\{/.exec(body);
      if (fnM) {
        const fr = balanced(t, r.start + fnM.index + fnM[0].length - 1);
        if (/^\s*return\s+true\s*$/.test(t.slice(fr.start, fr.end)) && cred)
          this.hit(
            'origin-reflected',
            r.start + fnM.index,
            fr.end + 1,
            'AllowOriginFunc returns true for every origin, with AllowCredentials: any web site can read the API as the logged-in user.',
          );
        continue;
      }
      if (/AllowAllOrigins:\s*true/.test(body)) continue; // gin-contrib refuses it with credentials
      if (!listM) {
        if (cred && m[1] === 'Options' && !/AllowedOrigins:/.test(body))
          this.hit(
            'wildcard-with-credentials',
            m.index,
            r.end + 1,
            'rs/cors with AllowCredentials and no AllowedOrigins (the default "*") answers Access-Control-Allow-Origin: * with credentials; browsers refuse it.',
            { fixSummary: 'Set AllowedOrigins to the exact front-end origins.' },
          );
        continue;
      }
      const lr = balanced(t, r.start + listM.index + listM[0].length - 1);
      const lits = literals(t, lr.start, lr.end);
      for (const l of lits) {
        if (l.value === '*') {
          if (cred)
            this.hit(
              'wildcard-with-credentials',
              l.start,
              l.end,
              'AllowedOrigins "*" with AllowCredentials: rs/cors answers Access-Control-Allow-Origin: * and the browser refuses every credentialed request.',
              { fixSummary: 'Set AllowedOrigins to the exact front-end origins.' },
            );
        } else this.origin(l, cred, { caseInsensitive: true });
      }
    }
    for (const m of this.all(
      /strings\.(HasSuffix|HasPrefix|Contains)\s*\(\s*(\w*[oO]rigin\w*)\s*,\s*"([^"]+)"\s*\)/g,
    )) {
      const method = m[1] === 'HasSuffix' ? 'endsWith' : m[1] === 'HasPrefix' ? 'startsWith' : 'includes';
      const why = substringBypass(method, m[3]!);
      if (why)
        this.hit(
          'origin-pattern-bypass',
          m.index,
          m.index + m[0].length,
          `The origin check ${why.replace(method, `strings.${m[1]}`)}.`,
        );
    }
  }

  // ---- C# (ASP.NET Core) ---------------------------------------------------------------------------

  csharp(): void {
    const t = this.text;
    for (const m of this.all(/\b(AddPolicy|AddDefaultPolicy)\s*\(/g)) {
      this.cors(m.index);
      const r = balanced(t, m.index + m[0].length - 1);
      const body = t.slice(r.start, r.end);
      const cred = /\.AllowCredentials\s*\(\s*\)/.test(body);
      const any = /\.AllowAnyOrigin\s*\(\s*\)/.exec(body);
      if (any && cred)
        this.hit(
          'wildcard-with-credentials',
          r.start + any.index + 1,
          r.start + any.index + any[0].length,
          'AllowAnyOrigin() with AllowCredentials(): ASP.NET Core refuses the combination (InvalidOperationException when the policy is built), and a browser would refuse it anyway.',
          { fixSummary: 'Use WithOrigins("https://app.example.com") with AllowCredentials().' },
        );
      const allowed = /\.SetIsOriginAllowed\s*\(\s*(\w+|\(\s*\w*\s*\))\s*=>\s*true\s*\)/.exec(body);
      if (allowed && cred)
        this.hit(
          'origin-reflected',
          r.start + allowed.index + 1,
          r.start + allowed.index + allowed[0].length,
          'SetIsOriginAllowed(_ => true) with AllowCredentials(): every request Origin is echoed back with credentials, so any web site can read the API as the logged-in user.',
        );
      for (const w of body.matchAll(/\.WithOrigins\s*\(/g)) {
        const wr = balanced(t, r.start + w.index! + w[0].length - 1);
        for (const l of literals(t, wr.start, wr.end))
          this.origin(l, cred, {
            caseInsensitive: true,
            literalStars: !/SetIsOriginAllowedToAllowWildcardSubdomains/.test(body),
          });
      }
    }
    const useCors = /\.UseCors\s*\(/.exec(t);
    const authz = /\.UseAuthorization\s*\(\s*\)/.exec(t);
    if (useCors && authz && authz.index < useCors.index)
      this.hit(
        'headers-missing-on-errors',
        useCors.index + 1,
        useCors.index + useCors[0].length,
        'UseCors() comes after UseAuthorization(): the 401/403 answers and refused preflights go out without CORS headers.',
        {
          fixSummary:
            'Call app.UseCors() after UseRouting() and before UseAuthentication()/UseAuthorization().',
        },
      );
  }

  // ---- PHP -----------------------------------------------------------------------------------------

  php(): void {
    const t = this.text;
    // Laravel config/cors.php (fruitcake/php-cors)
    if (/['"]allowed_origins['"]\s*=>/.test(t)) {
      const cm = /['"]supports_credentials['"]\s*=>\s*(true|false)/.exec(t);
      const cred = cm ? cm[1] === 'true' : false;
      const om = /['"]allowed_origins['"]\s*=>\s*\[/.exec(t)!;
      this.cors(om.index);
      const r = balanced(t, om.index + om[0].length - 1);
      for (const l of literals(t, r.start, r.end)) {
        if (l.value === '*') {
          if (cred)
            this.hit(
              'origin-reflected',
              l.start,
              l.end,
              "allowed_origins ['*'] with supports_credentials true: Laravel's CORS middleware echoes every request Origin back with credentials.",
              {
                fixSummary:
                  "List the exact front-end origins in 'allowed_origins' (from env('FRONTEND_URL')).",
              },
            );
        } else this.origin(l, cred);
      }
      const pm = /['"]allowed_origins_patterns['"]\s*=>\s*\[/.exec(t);
      if (pm) {
        const pr = balanced(t, pm.index + pm[0].length - 1);
        for (const l of literals(t, pr.start, pr.end)) this.phpRegex(l);
      }
    }
    for (const m of this.all(
      /\b(strpos|stripos|str_contains|str_ends_with|str_starts_with)\s*\(\s*\$(\w*origin\w*|_SERVER\s*\[\s*['"]HTTP_ORIGIN['"]\s*\])\s*,\s*(['"])([^'"]+)\3/gi,
    )) {
      const method = /ends/.test(m[1]!) ? 'endsWith' : /starts/.test(m[1]!) ? 'startsWith' : 'includes';
      const why = substringBypass(method, m[4]!);
      if (why)
        this.hit(
          'origin-pattern-bypass',
          m.index,
          m.index + m[0].length,
          `The origin check ${why.replace(method, m[1]!)}.`,
        );
    }
    for (const m of this.all(
      /preg_match\s*\(\s*(['"])(.+?)\1\s*,\s*\$(\w*origin\w*|_SERVER\s*\[\s*['"]HTTP_ORIGIN['"]\s*\])/gi,
    )) {
      this.phpRegex({ value: `${m[1]}${m[2]}${m[1]}`, start: m.index, end: m.index + m[0].length });
    }
  }

  private phpRegex(l: Str): void {
    const v = l.value.replace(/^['"]|['"]$/g, '');
    const d = v[0];
    if (!d) return;
    const last = v.lastIndexOf(d);
    if (last <= 0) return;
    this.regex({ ...l, value: v.slice(1, last), regex: true }, false);
  }

  // ---- headers set by hand, any of these languages -------------------------------------------------

  handSet(kind: string): void {
    const t = this.text;
    const patterns: Record<string, RegExp> = {
      python: /\[\s*['"]Access-Control-Allow-(Origin|Credentials)['"]\s*\]\s*=\s*([^\n]+)/gi,
      ruby: /\[\s*['"]Access-Control-Allow-(Origin|Credentials)['"]\s*\]\s*=\s*([^\n]+)/gi,
      java: /\.(?:setHeader|addHeader|set|add)\s*\(\s*"Access-Control-Allow-(Origin|Credentials)"\s*,\s*([^\n;]+)\)/gi,
      go: /\.(?:Set|Add)\s*\(\s*"Access-Control-Allow-(Origin|Credentials)"\s*,\s*([^\n]+)\)/gi,
      csharp:
        /Headers(?:\.Append|\.Add|\.TryAdd)?\s*[([]\s*"Access-Control-Allow-(Origin|Credentials)"\s*\]?\s*[,=]\s*([^\n;]+)/gi,
      php: /header\s*\(\s*(['"])Access-Control-Allow-(Origin|Credentials)\s*:\s*([^\n]*?)\)\s*;/gi,
    };
    const re = patterns[kind];
    if (!re) return;
    const sites: { name: string; value: string; start: number; end: number }[] = [];
    for (const m of this.all(re)) {
      if (kind === 'php')
        sites.push({ name: m[2]!.toLowerCase(), value: m[3]!, start: m.index, end: m.index + m[0].length });
      else
        sites.push({
          name: m[1]!.toLowerCase(),
          value: m[2]!.trim(),
          start: m.index,
          end: m.index + m[0].length,
        });
    }
    if (sites.length === 0) return;
    const cred = sites.some((s) => s.name === 'credentials' && /true/i.test(s.value));
    const vary = /['"]Vary['"]|Vary:\s*Origin|\bvary\b/i.test(t);
    const checked =
      /in_array|array_key_exists|\b(strpos|stripos|str_contains|str_ends_with|str_starts_with)\s*\(|origin\w*["')\]]*\s+(not\s+)?in\s+|isset\s*\(\s*\$\w+\s*\[\s*\$\w*origin|\bin\s+\w*(ALLOWED|allowed|origins|ORIGINS)|\.(contains|includes|Contains|include\?)\s*\(|==\s*\$?\w*origin|\w*origin\w*\s*(==|!=|===|!==)|slices\.Contains|strings\.(HasSuffix|HasPrefix|Contains)|allowed\w*\[|preg_match/i.test(
        t,
      );
    for (const s of sites) {
      if (s.name !== 'origin') continue;
      this.cors(s.start);
      const v = s.value.replace(/\)\s*$/, '').trim();
      const lit = /^(['"])([^'"]*)\1$/.exec(v) ?? (kind === 'php' ? /^([^'".$]*)['"]$/.exec(v) : null);
      const literal = lit ? (kind === 'php' && lit.length === 2 ? lit[1] : lit[2]) : undefined;
      if (literal !== undefined) {
        const value = literal.trim();
        if (value === '*') {
          if (cred)
            this.hit(
              'wildcard-with-credentials',
              s.start,
              s.end,
              'Access-Control-Allow-Origin: * is sent together with Access-Control-Allow-Credentials: true; browsers refuse every credentialed request.',
            );
        } else
          for (const p of checkOrigin(value, { credentials: cred, guarded: this.guarded(s.start) }))
            this.hit(p.id, s.start, s.end, p.detail, {
              ...(p.severity ? { severity: p.severity } : {}),
              ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
            });
        continue;
      }
      if (
        !/origin/i.test(v) ||
        /getenv|os\.environ|ENV\[|Environment\.|config\(|settings\.|os\.Getenv|env\(/.test(v)
      )
        continue;
      if (cred && !checked)
        this.hit(
          'origin-reflected',
          s.start,
          s.end,
          'The request Origin is copied into Access-Control-Allow-Origin without any check, with credentials allowed: any web site can read the API as the logged-in user.',
        );
      if (!vary)
        this.hit(
          'missing-vary-origin',
          s.start,
          s.end,
          'Access-Control-Allow-Origin is set from the request Origin, but no Vary: Origin is sent: a cache can hand one origin’s answer to another.',
          {
            fixSummary:
              'Also send Vary: Origin on every response whose Access-Control-Allow-Origin depends on the request.',
          },
        );
    }
  }
}
