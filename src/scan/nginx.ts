/**
 * nginx configuration: a real tokenizer (quotes, comments, blocks), then the CORS directives per block:
 * `add_header` without `always` (4: nginx adds headers only to 200, 201, 204, 206, 301, 302, 303, 304,
 * 307 and 308 without it), `*` with credentials (2), `$http_origin` echoed unchecked (reflection, 6),
 * `if ($http_origin ~ …)` and `map` regexes an attacker's domain passes, origin literals (7, 8, null).
 */
import { checkOrigin, isDevFile, regexBypass } from './origins.ts';
import type { Hit } from './types.ts';

export interface Directive {
  name: string;
  args: { text: string; start: number; end: number }[];
  start: number;
  end: number;
  parent: Directive | null;
  children: Directive[] | null;
}

export function parseNginx(text: string): Directive[] {
  const root: Directive[] = [];
  const stack: Directive[] = [];
  let cur: Directive | null = null;
  let i = 0;
  const n = text.length;
  const push = (d: Directive) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children!.push(d);
    else root.push(d);
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (/\s/.test(c)) i++;
    else if (c === ';') {
      if (cur) {
        cur.end = i + 1;
        push(cur);
        cur = null;
      }
      i++;
    } else if (c === '{') {
      const d: Directive = cur ?? { name: '', args: [], start: i, end: i, parent: null, children: null };
      d.children = [];
      d.parent = stack[stack.length - 1] ?? null;
      d.end = i + 1;
      push(d);
      stack.push(d);
      cur = null;
      i++;
    } else if (c === '}') {
      const d = stack.pop();
      if (d) d.end = i + 1;
      cur = null;
      i++;
    } else {
      const start = i;
      let tok = '';
      if (c === '"' || c === "'") {
        i++;
        while (i < n && text[i] !== c) {
          // nginx unescapes only quotes and backslashes; `\.` in a regex stays `\.`
          if (text[i] === '\\' && i + 1 < n && /["'\\]/.test(text[i + 1]!)) {
            tok += text[i + 1];
            i += 2;
          } else tok += text[i++];
        }
        i++;
      } else if (c === '(' && cur?.name === 'if') {
        // `if (…)` conditions keep their spaces and parentheses as one token
        let depth = 0;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '(') depth++;
          if (ch === ')' && --depth === 0) {
            i++;
            break;
          }
          tok += ch;
          i++;
        }
        tok = tok.slice(1);
      } else {
        while (i < n && !/[\s;{}]/.test(text[i]!)) tok += text[i++];
      }
      if (!cur)
        cur = { name: tok, args: [], start, end: i, parent: stack[stack.length - 1] ?? null, children: null };
      else cur.args.push({ text: tok, start, end: i });
    }
  }
  return root;
}

const ACA = /^access-control-/i;

export interface ConfigScan {
  hits: Hit[];
  /** A place where this config adds CORS headers in front of an upstream app (proxy_pass in the same block). */
  proxyCors: number | null;
  understood: boolean;
}

export function scanNginx(path: string, text: string): ConfigScan {
  if (!/access-control|http_origin/i.test(text)) return { hits: [], proxyCors: null, understood: false };
  const dirs = parseNginx(text);
  const hits: Hit[] = [];
  let proxyCors: number | null = null;
  const dev = isDevFile(path);
  const varyOrigin =
    /add_header\s+["']?Vary["']?\s+["']?[^;]*Origin/i.test(text) ||
    /more_set_headers\s+["']Vary:[^;]*Origin/i.test(text);
  const hit = (h: Omit<Hit, 'stack'>) => hits.push({ ...h, stack: 'nginx' });
  const mapped = new Set<string>(); // variables set by `map $http_origin $var`

  const walk = (list: Directive[], inherited: Directive[]) => {
    const headers = list.filter((d) => d.name === 'add_header' && d.args[0] && ACA.test(d.args[0].text));
    // nginx inherits add_header from the enclosing level only when this level has none of its own.
    const hasOwn = list.some((d) => d.name === 'add_header');
    const effective = hasOwn ? headers : inherited.filter((d) => d.name === 'add_header');
    const block = list[0]?.parent ?? null;
    const isPreflightIf = block?.name === 'if' && /request_method/.test(block.args[0]?.text ?? '');
    const originCheckIf = block?.name === 'if' && /\$http_origin/.test(block.args[0]?.text ?? '');
    const withinOriginIf = (() => {
      for (let p: Directive | null = block; p; p = p.parent)
        if (p.name === 'if' && /\$http_origin/.test(p.args[0]?.text ?? '')) return true;
      return false;
    })();
    // 4: without `always`, error responses (4xx/5xx) get none of these headers.
    const noAlways = headers.find((d) => d.args[d.args.length - 1]?.text !== 'always');
    if (noAlways && !isPreflightIf) {
      hit({
        id: 'headers-missing-on-errors',
        start: noAlways.start,
        end: noAlways.end,
        detail: `add_header ${noAlways.args[0]!.text} has no 'always': nginx adds it only to 2xx/3xx answers, so a 401, 404 or 500 reaches the page as a CORS error.`,
        fixSummary: "Add the 'always' parameter to every add_header Access-Control-* line.",
      });
    }
    const cred = effective.some(
      (d) => /^access-control-allow-credentials$/i.test(d.args[0]!.text) && d.args[1]?.text === 'true',
    );
    for (const d of headers) {
      const name = d.args[0]!.text.toLowerCase();
      const value = d.args[1];
      if (!value) continue;
      if (name !== 'access-control-allow-origin') continue;
      const proxied = list.some(
        (x) => x.name === 'proxy_pass' || x.name === 'fastcgi_pass' || x.name === 'uwsgi_pass',
      );
      const hidden =
        list.some(
          (x) =>
            (x.name === 'proxy_hide_header' || x.name === 'fastcgi_hide_header') &&
            ACA.test(x.args[0]?.text ?? ''),
        ) || inherited.some((x) => x.name === 'proxy_hide_header' && ACA.test(x.args[0]?.text ?? ''));
      if (proxied && !hidden) proxyCors ??= d.start;
      const v = value.text;
      if (v === '*') {
        if (cred)
          hit({
            id: 'wildcard-with-credentials',
            start: d.start,
            end: d.end,
            detail:
              "add_header Access-Control-Allow-Origin '*' together with Access-Control-Allow-Credentials true: browsers refuse every credentialed request.",
          });
      } else if (v.startsWith('$')) {
        const variable = v.replace(/^\$\{?|\}$/g, '');
        if (variable === 'http_origin' && !withinOriginIf && !originCheckIf) {
          if (cred)
            hit({
              id: 'origin-reflected',
              start: d.start,
              end: d.end,
              detail:
                'Access-Control-Allow-Origin is $http_origin with no check around it, and credentials are allowed: any web site can read the API as the logged-in user.',
            });
        }
        if ((variable === 'http_origin' || mapped.has(variable)) && !varyOrigin)
          hit({
            id: 'missing-vary-origin',
            start: d.start,
            end: d.end,
            detail: `Access-Control-Allow-Origin is set from $${variable} (the request Origin) but no Vary: Origin is added: a cache can serve one origin's answer to another.`,
            fixSummary: 'add_header Vary Origin always; next to the Access-Control-Allow-Origin line.',
          });
      } else if (/,/.test(v)) {
        hit({
          id: 'duplicate-cors-headers',
          start: d.start,
          end: d.end,
          detail: `'${v}' puts several origins in one Access-Control-Allow-Origin; the browser accepts exactly one.`,
          fixSummary:
            'Match $http_origin against the list (map or if) and echo the one that matches, with Vary: Origin.',
        });
      } else {
        for (const p of checkOrigin(v, { credentials: cred, guarded: dev }))
          hit({
            id: p.id,
            start: value.start,
            end: value.end,
            detail: p.detail,
            ...(p.severity ? { severity: p.severity } : {}),
            ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
          });
      }
    }
    for (const d of list) {
      if (d.name === 'if' && d.args[0]) {
        const m = /^\s*\$http_origin\s+(~\*?)\s+(.+?)\s*$/.exec(d.args[0].text);
        if (m) {
          const pattern = m[2]!.replace(/^["']|["']$/g, '');
          const why = regexBypass(pattern);
          if (why)
            hit({
              id: 'origin-pattern-bypass',
              start: d.start,
              end: d.args[0].end + 1,
              detail: `if ($http_origin ~ "${pattern}"): ${why}.`,
              fixSummary:
                'Anchor the pattern and escape its dots: if ($http_origin ~ "^https://(app|admin)\\.example\\.com$").',
            });
        }
      }
      if (d.name === 'map' && d.args[0]?.text === '$http_origin' && d.children) {
        if (d.args[1]) mapped.add(d.args[1].text.replace(/^\$/, ''));
        for (const e of d.children) {
          if (e.name.startsWith('~')) {
            const pattern = e.name.replace(/^~\*?/, '').replace(/^["']|["']$/g, '');
            const why = regexBypass(pattern);
            if (why)
              hit({
                id: 'origin-pattern-bypass',
                start: e.start,
                end: e.end,
                detail: `map $http_origin entry ~${pattern}: ${why}.`,
                fixSummary: 'Anchor each map regex and escape its dots: ~^https://app\\.example\\.com$.',
              });
          } else if (e.name !== 'default' && e.name !== 'hostnames' && /:\/\//.test(e.name)) {
            for (const p of checkOrigin(e.name, { credentials: undefined, guarded: dev }))
              hit({
                id: p.id,
                start: e.start,
                end: e.end,
                detail: p.detail,
                ...(p.severity ? { severity: p.severity } : {}),
                ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
              });
          }
        }
        continue;
      }
      if (d.children)
        walk(d.children, hasOwn ? list : [...inherited, ...list.filter((x) => x.name !== 'add_header')]);
    }
  };
  walk(dirs, []);
  return { hits, proxyCors, understood: true };
}
