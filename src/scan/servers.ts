/**
 * Apache httpd (`Header`, `SetEnvIf`), Caddyfile (`header`, matchers) and HAProxy (`http-response`,
 * `acl`): line-oriented configs read line by line. What each server does decides the finding:
 *  - Apache `Header set` writes the success table only (no error responses: 4); `Header always set`
 *    writes the error table, which a proxied response's own header does not share, so behind
 *    `ProxyPass` both copies go out (5).
 *  - Caddy's `header` sets the field before `reverse_proxy` copies the upstream's fields in (5).
 *  - HAProxy's `http-response` rules skip the responses HAProxy makes itself (deny, auth, 503): those
 *    need `http-after-response` (4); `add-header` keeps the backend's copy (5).
 */
import { checkOrigin, isDevFile, regexBypass, substringBypass } from './origins.ts';
import type { Hit, ScanStack } from './types.ts';

export interface ServerConfigScan {
  hits: Hit[];
  proxyCors: number | null;
}

interface Line {
  text: string;
  start: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const hash = raw.search(/(^|\s)#/);
    out.push({ text: hash >= 0 ? raw.slice(0, hash) : raw, start });
    start += raw.length + 1;
  }
  return out;
}

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, '$2');

export function scanServerConfig(
  kind: 'apache' | 'caddy' | 'haproxy',
  path: string,
  text: string,
): ServerConfigScan {
  if (!/access-control|origin/i.test(text)) return { hits: [], proxyCors: null };
  const stack: ScanStack = kind;
  const hits: Hit[] = [];
  const dev = isDevFile(path);
  const hit = (id: Hit['id'], l: Line, detail: string, extra: Partial<Hit> = {}) =>
    hits.push({
      id,
      start: l.start + (l.text.length - l.text.trimStart().length),
      end: l.start + l.text.trimEnd().length,
      stack,
      detail,
      ...extra,
    });
  const origin = (l: Line, value: string, cred: boolean) => {
    if (value.includes(',')) {
      hit(
        'duplicate-cors-headers',
        l,
        `'${value}' puts several origins in one Access-Control-Allow-Origin; the browser accepts exactly one.`,
        { fixSummary: 'Match the Origin against the list and echo the one that matches, with Vary: Origin.' },
      );
      return;
    }
    for (const p of checkOrigin(value, { credentials: cred, guarded: dev }))
      hit(p.id, l, p.detail, {
        ...(p.severity ? { severity: p.severity } : {}),
        ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
      });
  };
  const ls = lines(text);
  let proxyCors: number | null = null;
  const varyOrigin = /Vary[^\n]*Origin/i.test(text);

  if (kind === 'apache') {
    const hdr =
      /^\s*Header\s+(always\s+|onsuccess\s+)?(set|add|append|merge|setifempty)\s+["']?(Access-Control-Allow-[\w-]+)["']?\s+(\S+|"[^"]*")(.*)$/i;
    const cred = ls.some((l) =>
      /^\s*Header\s+(always\s+)?(set|add)\s+["']?Access-Control-Allow-Credentials["']?\s+["']?true/i.test(
        l.text,
      ),
    );
    const proxied = /^\s*(ProxyPass|RewriteRule\s.*\[[^\]]*\bP\b)/im.test(text);
    const unset = /^\s*Header\s+(always\s+)?unset\s+["']?Access-Control-Allow-Origin/im.test(text);
    let reportedAlways = false;
    const catchAll = ls.some((l) => /^\s*SetEnvIf(NoCase)?\s+Origin\s+["']?\(?\.\*\)?["']?\s/i.test(l.text));
    for (const l of ls) {
      const m = hdr.exec(l.text);
      if (m) {
        const always = /always/i.test(m[1] ?? '');
        const name = m[3]!.toLowerCase();
        if (!always && !reportedAlways) {
          reportedAlways = true;
          hit(
            'headers-missing-on-errors',
            l,
            `Header ${m[2]} ${m[3]} without 'always' applies to successful responses only: a 401, 404 or 500 reaches the page as a CORS error.`,
            { fixSummary: 'Write Header always set Access-Control-… for every CORS header.' },
          );
        }
        if (name !== 'access-control-allow-origin') continue;
        if (proxied && !unset && (always || /add|append/i.test(m[2]!))) proxyCors ??= l.start;
        const value = unquote(m[4]!);
        if (value === '*') {
          if (cred)
            hit(
              'wildcard-with-credentials',
              l,
              "Access-Control-Allow-Origin '*' is sent with Access-Control-Allow-Credentials true: browsers refuse every credentialed request.",
            );
        } else if (/%\{[^}]+\}e/.test(value) || /expr=/.test(m[5] ?? '')) {
          const direct =
            /%\{HTTP_ORIGIN\}e|%\{req:Origin\}|%\{HTTP:Origin\}/i.test(value) && !/env=/.test(m[5] ?? '');
          if (cred && (direct || catchAll))
            hit(
              'origin-reflected',
              l,
              'Access-Control-Allow-Origin echoes the request Origin without a check, with credentials allowed: any web site can read the API as the logged-in user.',
            );
          if (!varyOrigin)
            hit(
              'missing-vary-origin',
              l,
              'Access-Control-Allow-Origin is set from the request Origin, but no Vary: Origin is sent: a cache can serve one origin’s answer to another.',
              { fixSummary: 'Add Header always merge Vary Origin.' },
            );
        } else origin(l, value, cred);
      }
      const se = /^\s*SetEnvIf(NoCase)?\s+Origin\s+("[^"]+"|\S+)\s*(\S*)/i.exec(l.text);
      if (se) {
        const pattern = unquote(se[2]!);
        // `VAR=$0` echoes the matched part, not the whole Origin: the browser then accepts it only when the
        // match is the whole origin, so the pattern acts as if anchored at both ends (only its dots matter).
        const echoesMatch = /=\$0$/.test(se[3] ?? '');
        const why = regexBypass(echoesMatch ? `^${pattern.replace(/^\^/, '').replace(/\$$/, '')}$` : pattern);
        if (why)
          hit('origin-pattern-bypass', l, `SetEnvIf Origin "${pattern}": ${why}.`, {
            fixSummary:
              'Anchor the pattern and escape its dots: SetEnvIf Origin "^https://(app|admin)\\.example\\.com$" CORS_ORIGIN=$0',
          });
      }
    }
  }

  if (kind === 'caddy') {
    const cred = /Access-Control-Allow-Credentials\s+["']?true/i.test(text);
    const proxied = /\breverse_proxy\b/.test(text);
    const hidden = /header_down\s+-Access-Control-Allow-Origin|defer/i.test(text);
    for (const l of ls) {
      const m = /^\s*(?:header\s+(@\w+\s+)?)?([+]?)Access-Control-Allow-Origin\s+(.+?)\s*$/i.exec(l.text);
      if (m) {
        if (proxied && !hidden) proxyCors ??= l.start;
        const value = unquote(m[3]!);
        if (value === '*') {
          if (cred)
            hit(
              'wildcard-with-credentials',
              l,
              "Access-Control-Allow-Origin '*' with Access-Control-Allow-Credentials true: browsers refuse every credentialed request.",
            );
        } else if (/\{(http\.request\.header\.Origin|header\.Origin|>Origin)\}/i.test(value)) {
          const matcher = !!m[1];
          if (cred && !matcher)
            hit(
              'origin-reflected',
              l,
              'Access-Control-Allow-Origin echoes {http.request.header.Origin} for every request, with credentials allowed: any web site can read the API as the logged-in user.',
              {
                fixSummary:
                  'Put the header behind a matcher that lists the allowed origins (@allowed header Origin https://app.example.com).',
              },
            );
          if (!varyOrigin)
            hit(
              'missing-vary-origin',
              l,
              'Access-Control-Allow-Origin is set from the request Origin, but no Vary: Origin is sent: a cache can serve one origin’s answer to another.',
              { fixSummary: 'Add header Vary Origin next to it.' },
            );
        } else origin(l, value, cred);
      }
      const hm = /^\s*@\w+\s+(?:header\s+Origin\s+(\S+)|header_regexp\s+(?:\w+\s+)?Origin\s+(\S+))/i.exec(
        l.text,
      );
      if (hm) {
        if (hm[1]) {
          const v = unquote(hm[1]);
          const why =
            v.startsWith('*') && v.endsWith('*')
              ? substringBypass('includes', v.slice(1, -1))
              : v.startsWith('*')
                ? substringBypass('endsWith', v.slice(1))
                : v.endsWith('*')
                  ? substringBypass('startsWith', v.slice(0, -1))
                  : null;
          if (why) hit('origin-pattern-bypass', l, `The header matcher ${v}: ${why}.`);
        } else if (hm[2]) {
          const why = regexBypass(unquote(hm[2]));
          if (why) hit('origin-pattern-bypass', l, `header_regexp Origin ${hm[2]}: ${why}.`);
        }
      }
    }
  }

  if (kind === 'haproxy') {
    const cred = /(set|add)-header\s+Access-Control-Allow-Credentials\s+["']?true/i.test(text);
    const selfAnswers = /http-request\s+(deny|auth|return|tarpit)\b/.test(text);
    let reported4 = false;
    for (const l of ls) {
      const m =
        /^\s*(http-response|http-after-response)\s+(set-header|add-header)\s+Access-Control-Allow-Origin\s+(\S+)(.*)$/i.exec(
          l.text,
        );
      if (m) {
        if (m[2] === 'add-header') proxyCors ??= l.start;
        if (m[1] === 'http-response' && selfAnswers && !reported4) {
          reported4 = true;
          hit(
            'headers-missing-on-errors',
            l,
            'http-response rules do not run on the responses HAProxy makes itself (http-request deny/auth/return, 503 when no server is up): those reach the page as a CORS error.',
            {
              fixSummary:
                'Use http-after-response set-header for the CORS headers (it also covers HAProxy’s own responses).',
            },
          );
        }
        const value = unquote(m[3]!);
        if (value === '*') {
          if (cred)
            hit(
              'wildcard-with-credentials',
              l,
              "Access-Control-Allow-Origin '*' with Access-Control-Allow-Credentials true: browsers refuse every credentialed request.",
            );
        } else if (/%\[/.test(value)) {
          const guardedByAcl = /\b(if|unless)\b/.test(m[4] ?? '');
          if (cred && /req\.hdr\(origin\)|hdr\(origin\)|capture/i.test(value) && !guardedByAcl)
            hit(
              'origin-reflected',
              l,
              'Access-Control-Allow-Origin echoes the request Origin for every request, with credentials: any web site can read the API as the logged-in user.',
              {
                fixSummary: 'Add an acl listing the allowed origins and set the header only "if" it matches.',
              },
            );
          if (!varyOrigin)
            hit(
              'missing-vary-origin',
              l,
              'Access-Control-Allow-Origin is set from the request Origin, but no Vary: Origin is sent: a cache can serve one origin’s answer to another.',
              { fixSummary: 'http-after-response add-header Vary Origin' },
            );
        } else origin(l, value, cred);
      }
      const acl =
        /^\s*acl\s+\S+\s+(?:(?:req\.)?hdr\(origin\)\s+-m\s+(sub|end|beg|reg)|hdr_(sub|end|beg|reg)\(origin\))\s+(?:-i\s+)?(\S+)/i.exec(
          l.text,
        );
      if (acl) {
        const how = (acl[1] ?? acl[2])!.toLowerCase();
        const v = unquote(acl[3]!);
        const why =
          how === 'reg'
            ? regexBypass(v)
            : substringBypass(how === 'sub' ? 'includes' : how === 'end' ? 'endsWith' : 'startsWith', v);
        if (why)
          hit('origin-pattern-bypass', l, `The acl matches the Origin with -m ${how} ${v}: ${why}.`, {
            fixSummary:
              'Match whole origins: acl allowed_origin req.hdr(origin) -m str https://app.example.com',
          });
      }
    }
  }
  return { hits, proxyCors };
}
