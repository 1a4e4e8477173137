/**
 * Static host and cloud configs: vercel.json, netlify.toml, `_headers` (Netlify, Cloudflare Pages),
 * serverless.yml / SAM / CloudFormation CORS blocks, and S3 bucket CORS rules (JSON or XML). Parsed
 * with JSON.parse and smol-toml where the format has a parser; YAML by indentation (only the CORS
 * blocks); positions found by locating the value in the text.
 */
import { parse as parseToml } from 'smol-toml';
import { checkOrigin, isDevFile } from './origins.ts';
import type { Hit, ScanStack } from './types.ts';

type Kind = 'vercel' | 'netlify' | 'headers' | 'serverless' | 's3';

interface Group {
  origins: { value: string; at: number }[];
  credentials: boolean;
}

/** The offset of the `nth` occurrence of `needle` at or after `from`, or -1. */
function find(text: string, needle: string, from: number): number {
  return text.indexOf(needle, from);
}

export function scanStatic(kind: Kind, path: string, text: string): Hit[] {
  if (!/access-control|cors|origin/i.test(text)) return [];
  const stack: ScanStack = kind === 'headers' ? 'netlify' : kind;
  const groups: Group[] = [];
  let cursor = 0;
  const locate = (value: string) => {
    const at = find(text, value, cursor);
    if (at >= 0) cursor = at + value.length;
    return Math.max(at, 0);
  };
  try {
    if (kind === 'vercel' || kind === 'netlify') {
      const doc = (kind === 'vercel' ? JSON.parse(text) : parseToml(text)) as Record<string, unknown>;
      const rules = Array.isArray(doc['headers']) ? (doc['headers'] as Record<string, unknown>[]) : [];
      for (const r of rules) {
        const g: Group = { origins: [], credentials: false };
        const pairs: [string, string][] = [];
        if (Array.isArray(r['headers']))
          for (const h of r['headers'] as { key?: string; value?: string }[])
            if (typeof h.key === 'string' && typeof h.value === 'string') pairs.push([h.key, h.value]);
        const values = r['values'];
        if (values && typeof values === 'object')
          for (const [k, v] of Object.entries(values)) if (typeof v === 'string') pairs.push([k, v]);
        for (const [k, v] of pairs) {
          if (/^access-control-allow-origin$/i.test(k)) {
            locate(k);
            g.origins.push({ value: v, at: locate(v) });
          }
          if (/^access-control-allow-credentials$/i.test(k) && v.trim() === 'true') g.credentials = true;
        }
        groups.push(g);
      }
    } else if (kind === 'headers') {
      let g: Group | null = null;
      let offset = 0;
      for (const line of text.split('\n')) {
        if (/^\S/.test(line) && !line.startsWith('#')) {
          g = { origins: [], credentials: false };
          groups.push(g);
        } else if (g) {
          const m = /^\s+([\w-]+)\s*:\s*(.*?)\s*$/.exec(line);
          if (m && /^access-control-allow-origin$/i.test(m[1]!))
            g.origins.push({ value: m[2]!, at: offset + line.indexOf(m[2]!) });
          if (m && /^access-control-allow-credentials$/i.test(m[1]!) && m[2] === 'true') g.credentials = true;
        }
        offset += line.length + 1;
      }
    } else if (kind === 's3') {
      const g: Group = { origins: [], credentials: undefined as unknown as boolean };
      if (/^\s*</.test(text)) {
        for (const m of text.matchAll(/<AllowedOrigin>\s*([^<]*?)\s*<\/AllowedOrigin>/g))
          g.origins.push({ value: m[1]!, at: m.index! + m[0].indexOf(m[1]!) });
      } else {
        const doc = JSON.parse(text) as unknown;
        const rules = Array.isArray(doc)
          ? doc
          : ((doc as Record<string, unknown>)?.['CORSRules'] ??
            (doc as Record<string, { CORSRules?: unknown }>)?.['CORSConfiguration']?.['CORSRules']);
        if (!Array.isArray(rules)) return [];
        for (const r of rules as Record<string, unknown>[]) {
          const list = r['AllowedOrigins'];
          if (Array.isArray(list))
            for (const o of list)
              if (typeof o === 'string') g.origins.push({ value: o, at: locate(JSON.stringify(o)) + 1 });
        }
      }
      groups.push(g);
    } else {
      // serverless.yml / SAM / CloudFormation: the CORS blocks by indentation
      const all = text.split('\n');
      const starts: number[] = [];
      let off = 0;
      for (const l of all) {
        starts.push(off);
        off += l.length + 1;
      }
      for (let i = 0; i < all.length; i++) {
        const m = /^(\s*)(cors|Cors|CorsConfiguration|CorsRule|CorsRules):\s*$/.exec(all[i]!);
        if (!m) continue;
        const indent = m[1]!.length;
        const g: Group = { origins: [], credentials: false };
        for (let j = i + 1; j < all.length; j++) {
          const line = all[j]!;
          if (line.trim() === '' || line.trim().startsWith('#')) continue;
          if (/^\s*/.exec(line)![0].length <= indent) break;
          if (/allow_?credentials:\s*['"]?true/i.test(line)) g.credentials = true;
          const om = /^\s*-?\s*(origin|origins|AllowOrigin|AllowOrigins|AllowedOrigins)?:?\s*(.*)$/i.exec(
            line,
          );
          const key = /^\s*(origins?|AllowOrigins?|AllowedOrigins):/i.exec(line);
          const item = /^\s*-\s*(.+)$/.exec(line);
          const raw = key ? (om?.[2] ?? '') : item && /origin/i.test(lastKey(all, j, indent)) ? item[1]! : '';
          const v = raw
            .trim()
            .replace(/^(["'])(.*)\1$/, '$2')
            .replace(/^'(.*)'$/, '$1');
          if (v && !/^[[{]?$/.test(v) && !/^\$\{|^!|^\{\{/.test(v)) {
            for (const part of v.replace(/^\[|\]$/g, '').split(',')) {
              const p = part
                .trim()
                .replace(/^(["'])(.*)\1$/, '$2')
                .replace(/^'(.*)'$/, '$1');
              if (p) g.origins.push({ value: p, at: starts[j]! + Math.max(0, line.indexOf(p)) });
            }
          }
        }
        groups.push(g);
      }
    }
  } catch {
    return []; // not valid JSON/TOML: not understood, no finding
  }
  const hits: Hit[] = [];
  const dev = isDevFile(path);
  for (const g of groups) {
    for (const o of g.origins) {
      const v = o.value.trim();
      const end = o.at + o.value.length;
      if (v === '*') {
        if (g.credentials)
          hits.push({
            id: 'wildcard-with-credentials',
            start: o.at,
            end,
            stack,
            detail:
              "Access-Control-Allow-Origin '*' is configured with Access-Control-Allow-Credentials true: browsers refuse every credentialed request.",
          });
        continue;
      }
      if (kind !== 's3' && kind !== 'serverless' && v.includes(',')) {
        hits.push({
          id: 'duplicate-cors-headers',
          start: o.at,
          end,
          stack,
          detail: `'${v}' puts several origins in one Access-Control-Allow-Origin; the browser accepts exactly one.`,
          fixSummary:
            'A static header can hold one origin: answer CORS from a function that echoes the matching origin, with Vary: Origin.',
        });
        continue;
      }
      for (const p of checkOrigin(o.value, { credentials: g.credentials, guarded: dev }))
        hits.push({
          id: p.id,
          start: o.at,
          end,
          stack,
          detail: p.detail,
          ...(p.severity ? { severity: p.severity } : {}),
          ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
        });
    }
  }
  return hits;
}

/** The nearest key above line `j` (inside the block): what a `- item` list belongs to. */
function lastKey(all: string[], j: number, indent: number): string {
  for (let k = j - 1; k >= 0; k--) {
    const m = /^(\s*)([\w-]+):/.exec(all[k]!);
    if (m) return m[1]!.length > indent ? m[2]! : '';
  }
  return '';
}
