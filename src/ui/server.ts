/**
 * `cors-doctor ui`: the local page's server. The page runs the pure layers itself (explain, the catalog,
 * the model, compiled in dist/); only network work comes here, as a check the user started in the page.
 *
 * Security (a local server that sends requests for a web page is a tempting proxy):
 * - bound to 127.0.0.1 only; the Host header must name a loopback host with our port (DNS rebinding:
 *   another site's name resolved to 127.0.0.1 carries its own Host);
 * - every path lives under a per-run random token, printed once on the terminal;
 * - a state-changing call (POST) needs the per-run CSRF token in a header (only our page can read it from
 *   its HTML), JSON, and no foreign Origin;
 * - a check runs with the same safe-probe rules as the CLI (probes never repeat a data-changing request),
 *   reads no local file (no --data @file, no --cacert from a paste), one at a time;
 * - nothing third-party: every byte served comes from this package or its dependencies' files, with a
 *   CSP of 'self' and no referrer (the token stays out of Referer headers).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckArgs } from '../cli/commands/check.ts';
import { UsageError } from '../cli/context.ts';
import { type RunCheckOptions, runCheck } from '../probe/check.ts';

/** The package root: the folder holding cors-doctor's package.json (from src/ or dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cors-doctor'
    )
      return dir;
    dir = dirname(dir);
  }
  throw new Error('cors-doctor ui: cannot find the package root (package.json named cors-doctor)');
}

/** Folders of dist/src the page may load: the pure layers and the page itself, nothing that does I/O. */
const PAGE_MODULES = ['browser', 'catalog', 'diagnosis', 'explain', 'fix', 'ui/page', 'index.js'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface UiServer {
  /** The page's address, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface UiOptions {
  port?: number;
  /** Run a check (tests may pin the deadline); by default the real runCheck. */
  checkTimeoutMs?: number;
}

const MAX_BODY = 256 * 1024;

export async function startUiServer(options: UiOptions = {}): Promise<UiServer> {
  const root = packageRoot();
  const dist = join(root, 'dist', 'src');
  if (!existsSync(join(dist, 'ui', 'page', 'app.js')))
    throw new UsageError(
      `the page's modules are not built (${join(dist, 'ui', 'page', 'app.js')} is missing): run npm run build in ${root}`,
    );
  // The CSP parser: its ESM entry (it exports no package.json).
  const vendor: Record<string, string> = {
    'csp-parser.js': fileURLToPath(import.meta.resolve('content-security-policy-parser')),
  };

  const token = randomBytes(18).toString('base64url');
  const csrf = randomBytes(18).toString('base64url');
  const importMap = JSON.stringify({
    imports: {
      'content-security-policy-parser': `/${token}/vendor/csp-parser.js`,
    },
  });
  const mapHash = createHash('sha256').update(importMap).digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${mapHash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const html = readFileSync(join(root, 'src', 'ui', 'static', 'index.html'), 'utf8')
    .replace('<!--importmap-->', `<script type="importmap">${importMap}</script>`)
    .replaceAll('{{csrf}}', csrf)
    .replaceAll('{{base}}', `/${token}/`);
  let busy = false;
  let port = 0;

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    });
    res.end(body);
  };
  const fail = (res: http.ServerResponse, status: number, message: string): void =>
    send(res, status, 'application/json', JSON.stringify({ error: message }));
  const file = (res: http.ServerResponse, path: string): void => {
    if (!existsSync(path) || !statSync(path).isFile()) {
      fail(res, 404, 'not found');
      return;
    }
    send(
      res,
      200,
      TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      readFileSync(path),
    );
  };

  const sameToken = (a: string, b: string): boolean =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host))
      return fail(
        res,
        421,
        `Host '${host}' refused: open the address cors-doctor ui printed (http://127.0.0.1:${port}/…)`,
      );
    const url = new URL(req.url ?? '/', `http://${host}`);
    const [, first = '', ...restParts] = url.pathname.split('/');
    if (!sameToken(first, token))
      return fail(res, 404, 'not found: open the address cors-doctor ui printed (it holds the token)');
    const rest = restParts.join('/');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (rest === '') return send(res, 200, TYPES['.html']!, html);
      if (rest.startsWith('static/') && /^static\/[\w-]+\.(css|svg)$/.test(rest))
        return file(res, join(root, 'src', 'ui', 'static', rest.slice('static/'.length)));
      if (rest.startsWith('vendor/') && vendor[rest.slice('vendor/'.length)])
        return file(res, vendor[rest.slice('vendor/'.length)]!);
      if (rest.startsWith('m/')) {
        const rel = normalize(rest.slice(2));
        if (
          rel.startsWith('..') ||
          !rel.endsWith('.js') ||
          !PAGE_MODULES.some((m) => rel === m || rel.startsWith(`${m}${sep}`))
        )
          return fail(res, 404, 'not a module the page may load');
        return file(res, join(dist, rel));
      }
      return fail(res, 404, 'not found');
    }
    if (req.method !== 'POST' || rest !== 'api/check')
      return fail(res, 405, 'only POST api/check changes anything');
    const given = req.headers['x-csrf-token'];
    if (typeof given !== 'string' || !sameToken(given, csrf))
      return fail(res, 403, 'missing or wrong X-CSRF-Token: reload the page cors-doctor ui printed');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`)
      return fail(res, 403, `a page at ${origin} may not start checks here`);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return fail(res, 415, 'send the check as application/json');
    if (busy) return fail(res, 429, 'a check is already running: wait for it to finish');
    busy = true;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('close', () => {
      if (size > MAX_BODY) busy = false;
    });
    req.on('end', () => {
      void (async () => {
        try {
          const form = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CheckForm;
          const argv = formToArgv(form);
          const parsed = await parseCheckArgs(argv);
          const opts: RunCheckOptions = {
            timeoutMs: options.checkTimeoutMs ?? parsed.timeoutMs,
            ...(parsed.cookie !== undefined ? { cookie: parsed.cookie } : {}),
            ...(parsed.body !== undefined ? { body: parsed.body } : {}),
            ...(parsed.holdUnsafeActual ? { holdUnsafeActual: true } : {}),
          };
          const report = await runCheck(parsed.input, opts);
          send(
            res,
            200,
            'application/json',
            JSON.stringify({ report, notes: parsed.notes, request: parsed.input.request }),
          );
        } catch (err) {
          if (err instanceof UsageError || err instanceof FormError) fail(res, 400, err.message);
          else if (err instanceof SyntaxError) fail(res, 400, 'the check must be one JSON object');
          else fail(res, 500, `the check could not run: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          busy = false;
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the page's check form sends. */
export interface CheckForm {
  url?: string;
  origin?: string;
  method?: string;
  headers?: string;
  credentials?: string;
  body?: string;
  /** A DevTools 'Copy as cURL', 'Copy as fetch' or 'Copy as PowerShell' paste, instead of the fields. */
  paste?: string;
}

export class FormError extends Error {}

/** The form as check's own flags, so the page and the CLI parse and validate alike. */
export function formToArgv(form: CheckForm): string[] {
  const argv: string[] = [];
  const text = (v: unknown, what: string): string => {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new FormError(`${what} must be text`);
    return v.trim();
  };
  const paste = text(form.paste, 'the paste');
  if (paste !== '') {
    // A paste may name local files (curl's -d @file, --cacert): the page must not make this process read them.
    if (
      /(^|\s)(--cacert|--capath|--cert|--key|-E|--config|-K)(\s|=)|(^|\s)(-d|--data|--data-binary|--data-urlencode|-F|--form|-T|--upload-file)\s+['"]?@/.test(
        paste,
      )
    )
      throw new FormError(
        'this paste reads local files (@file, --cacert, --cert…): the page cannot do that; run it with cors-doctor check on the command line',
      );
    const flavour = /^\s*curl\b/i.test(paste)
      ? '--curl'
      : /(^|\n)\s*(\$\w+\s*=\s*)?(Invoke-WebRequest|Invoke-RestMethod|iwr|irm|New-Object)\b/i.test(paste)
        ? '--powershell'
        : '--fetch';
    argv.push(flavour, paste);
  }
  const url = text(form.url, 'the URL');
  if (url !== '') argv.push(url);
  const origin = text(form.origin, 'the origin');
  if (origin !== '') argv.push('--origin', origin);
  const method = text(form.method, 'the method');
  if (method !== '') argv.push('--method', method);
  for (const line of text(form.headers, 'the headers').split('\n'))
    if (line.trim() !== '') argv.push('-H', line.trim());
  const credentials = text(form.credentials, 'credentials');
  if (credentials !== '') argv.push('--credentials', credentials);
  if (typeof form.body === 'string' && form.body !== '') argv.push('--data-raw', form.body);
  if (argv.length === 0) throw new FormError('give a URL and the page origin, or paste a cURL/fetch command');
  return argv;
}
