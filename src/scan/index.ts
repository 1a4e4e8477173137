/**
 * `scan`: file texts in, findings out. Each file goes to the one detector its name says it is; then one
 * pass over the whole set finds the mistake no single file shows: CORS added by a proxy config in front
 * of an app that adds it too (5).
 */
import { toFindings } from './finding.ts';
import { scanJs } from './js.ts';
import { scanCode } from './langs.ts';
import { scanNginx } from './nginx.ts';
import { scanServerConfig } from './servers.ts';
import { scanStatic } from './static.ts';
import { LineIndex } from './text.ts';
import type { Hit, ScanFile, ScanFinding, ScanOptions, ScanResult, ScanStack } from './types.ts';

export { fixFor, isTestPath } from './finding.ts';
export type {
  Hit,
  ScanFile,
  ScanFinding,
  ScanLocation,
  ScanOptions,
  ScanResult,
  ScanStack,
} from './types.ts';
export { SCAN_STACKS } from './types.ts';

export type FileKind =
  | 'js'
  | 'python'
  | 'ruby'
  | 'java'
  | 'go'
  | 'csharp'
  | 'php'
  | 'nginx'
  | 'apache'
  | 'caddy'
  | 'haproxy'
  | 'vercel'
  | 'netlify'
  | 'headers'
  | 'serverless'
  | 's3';

/** What a file is, from its path alone (null: not scanned). */
export function kindOf(path: string): FileKind | null {
  const base = path.replace(/^.*\//, '');
  const lower = base.toLowerCase();
  if (/\.(m|c)?[jt]sx?$/.test(lower) && !/\.d\.[mc]?ts$/.test(lower) && !/\.min\.js$/.test(lower))
    return 'js';
  if (/\.(vue|svelte|html?)$/.test(lower)) return 'js';
  if (lower.endsWith('.py')) return 'python';
  if (lower.endsWith('.rb') || lower === 'config.ru') return 'ruby';
  if (/\.(java|kt)$/.test(lower)) return 'java';
  if (lower.endsWith('.go')) return 'go';
  if (lower.endsWith('.cs')) return 'csharp';
  if (lower.endsWith('.php')) return 'php';
  if (
    lower === 'nginx.conf' ||
    (/(^|\/)(nginx|sites-(available|enabled)|conf\.d)\//.test(path) && /\.conf$|^[^.]+$/.test(lower))
  )
    return 'nginx';
  if (lower.endsWith('.nginx') || /nginx.*\.conf(\.template)?$/.test(lower)) return 'nginx';
  if (
    lower === '.htaccess' ||
    lower === 'httpd.conf' ||
    lower === 'apache2.conf' ||
    (/(^|\/)(apache2?|httpd)\//.test(path) && lower.endsWith('.conf'))
  )
    return 'apache';
  if (lower === 'caddyfile' || lower.endsWith('.caddyfile') || lower.startsWith('caddyfile.')) return 'caddy';
  if (lower === 'haproxy.cfg' || lower.endsWith('.haproxy.cfg') || /haproxy.*\.cfg$/.test(lower))
    return 'haproxy';
  if (lower === 'vercel.json' || lower === 'now.json') return 'vercel';
  if (lower === 'netlify.toml') return 'netlify';
  if (lower === '_headers') return 'headers';
  if (
    /^serverless\.ya?ml$/.test(lower) ||
    /^(template|samconfig|cloudformation|stack)\.ya?ml$/.test(lower) ||
    /\.(cfn|sam)\.ya?ml$/.test(lower)
  )
    return 'serverless';
  if (/cors.*\.(json|xml)$/.test(lower) || /s3.*\.(json|xml)$/.test(lower)) return 's3';
  if (lower.endsWith('.conf')) return 'nginx'; // sniffed below: only read as nginx when it looks like nginx
  return null;
}

interface FileScan {
  file: ScanFile;
  hits: Hit[];
  appCors: number | null;
  proxyCors: number | null;
  proxyKind?: 'nginx' | 'apache' | 'caddy' | 'haproxy';
}

function scanOne(file: ScanFile, kind: FileKind): FileScan {
  const { path, text } = file;
  switch (kind) {
    case 'js': {
      const r = scanJs(path, text);
      return { file, hits: r.hits, appCors: r.serverCors, proxyCors: null };
    }
    case 'nginx': {
      if (
        !/\b(server|location|add_header|http)\b[^;]*[;{]/.test(text) ||
        /<VirtualHost|^\s*Header\s/im.test(text)
      ) {
        if (/^\s*Header\s+(always\s+)?(set|add|append|merge)\s+Access-Control/im.test(text))
          return scanOne(file, 'apache');
        return { file, hits: [], appCors: null, proxyCors: null };
      }
      const r = scanNginx(path, text);
      return { file, hits: r.hits, appCors: null, proxyCors: r.proxyCors, proxyKind: 'nginx' };
    }
    case 'apache':
    case 'caddy':
    case 'haproxy': {
      const r = scanServerConfig(kind, path, text);
      return { file, hits: r.hits, appCors: null, proxyCors: r.proxyCors, proxyKind: kind };
    }
    case 'vercel':
    case 'netlify':
    case 'headers':
    case 'serverless':
    case 's3':
      return { file, hits: scanStatic(kind, path, text), appCors: null, proxyCors: null };
    default: {
      const r = scanCode(kind, path, text);
      return { file, hits: r.hits, appCors: r.serverCors, proxyCors: null };
    }
  }
}

export function scanFiles(files: readonly ScanFile[], options: ScanOptions = {}): ScanResult {
  const scans: FileScan[] = [];
  const byKind: Record<string, number> = {};
  for (const file of files) {
    const kind = kindOf(file.path);
    if (!kind) continue;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    scans.push(scanOne(file, kind));
  }
  // 5: a proxy adds CORS in front of an upstream, and an app in the same repository adds it too.
  const apps = scans.filter(
    (s) =>
      s.appCors !== null && !/(^|\/)(test|tests|__tests__|spec|e2e|fixtures?|examples)\//.test(s.file.path),
  );
  if (apps.length > 0) {
    for (const s of scans) {
      if (s.proxyCors === null) continue;
      const app = apps[0]!;
      const appLine = new LineIndex(app.file.text).position(app.appCors!).line;
      s.hits.push({
        id: 'duplicate-cors-headers',
        start: s.proxyCors,
        end: s.proxyCors + 1,
        stack: s.proxyKind ?? 'nginx',
        detail: `${s.proxyKind ?? 'The proxy'} adds Access-Control-Allow-Origin in front of its upstream, and ${app.file.path}:${appLine} sets CORS in the app as well: the browser gets the header twice and refuses it.`,
        fixSummary:
          'Let one layer answer CORS: remove the proxy’s Access-Control-* lines, or hide the upstream’s (proxy_hide_header Access-Control-Allow-Origin; in nginx).',
      });
    }
  }
  let findings: ScanFinding[] = [];
  for (const s of scans) {
    const stacks = options.stacks;
    const hits = stacks ? s.hits.filter((h) => stacks.includes(h.stack)) : s.hits;
    findings.push(...toFindings(s.file.path, s.file.text, hits));
  }
  if (options.skipTests) findings = findings.filter((f) => !f.inTest);
  findings.sort((a, b) =>
    a.location.file < b.location.file
      ? -1
      : a.location.file > b.location.file
        ? 1
        : a.location.line - b.location.line || a.location.column - b.location.column,
  );
  return { findings, filesScanned: scans.length, byKind };
}

export function stackOf(findings: readonly ScanFinding[]): ScanStack[] {
  return [...new Set(findings.map((f) => f.stack))];
}
