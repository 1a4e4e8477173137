/**
 * Puts one WireRequest on the network the way Chromium would, and records the response raw: the status
 * line and the header lines in order, duplicates and original case kept (`rawHeaders`). The body is never
 * read: the socket is torn down as soon as the headers are in (CORS is decided on headers alone).
 *
 * Deliberately not modelled: HTTP/2 and HTTP/3 (Chromium would negotiate them; h2 lowercases header names
 * on the wire, which changes nothing for CORS), the HTTP cache, cookie jars (cookies come from the user),
 * proxies. The request's own redirects are NOT followed here: the browser model decides what to do with
 * each 3xx (Fetch §4.4 HTTP-redirect fetch), and asks for the next hop itself.
 */
import type httpModule from 'node:http';
import type httpsModule from 'node:https';
import { registrableDomain } from '../browser/public-suffix.ts';
import type { HeaderLine, WireRequest, WireResponse } from '../browser/types.ts';
import { classifyNetError } from './net-error.ts';

/** Chromium's response header limit (net/http/http_stream_parser.cc kMaxHeaderBufSize = 256 KiB). */
export const MAX_HEADER_BYTES = 256 * 1024;

/** A current stable Chrome on Linux, so servers and WAFs answer as they would answer the browser. */
export const CHROME_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface SendOptions {
  /** This request's own time limit; on expiry the answer is `net::ERR_TIMED_OUT`. */
  timeoutMs: number;
  /** The whole check's deadline: aborting ends the request at once with `net::ERR_TIMED_OUT`. */
  signal?: AbortSignal;
  /** `Cookie` header value to attach when the browser would send credentials (from `--curl -b`, `-H Cookie:`). */
  cookie?: string;
  /** Request body for the actual request (never for a preflight). */
  body?: string;
  /** Trust exactly these CA certificates (PEM; pass the system's too to add to them: `check --cacert`). */
  ca?: string | Buffer;
  /** Accept any certificate (`check --insecure`, like curl -k); the browser would not. */
  insecure?: boolean;
}

/** What sendWire hands back: the model's WireResponse plus when it came. */
export type TimedResponse = WireResponse & {
  /** Milliseconds from sending to the end of the response headers (or the failure). */
  ms: number;
  /** Node's error code on failure (ECONNREFUSED, HPE_HEADER_OVERFLOW, …), for the JSON report. */
  code?: string;
};

/** Sec-Fetch-Site (Fetch Metadata §2.1): same-origin, same-site (same registrable domain and scheme), cross-site. */
export function secFetchSite(origin: string, url: string): 'same-origin' | 'same-site' | 'cross-site' {
  try {
    if (origin === 'null') return 'cross-site';
    const o = new URL(origin);
    const u = new URL(url);
    if (o.origin === u.origin) return 'same-origin';
    const od = registrableDomain(o.hostname, { privateDomains: true }) ?? o.hostname;
    const ud = registrableDomain(u.hostname, { privateDomains: true }) ?? u.hostname;
    return o.protocol === u.protocol && od === ud ? 'same-site' : 'cross-site';
  } catch {
    return 'cross-site';
  }
}

const has = (headers: readonly HeaderLine[], name: string): boolean =>
  headers.some(([n]) => n.toLowerCase() === name);

/**
 * The header lines actually sent: the model's lines first (in its order), then what Chromium's network
 * stack adds that the model leaves out (User-Agent, Accept-Language, Accept-Encoding, Sec-Fetch-*), then the
 * cookie when credentials go with the request. Host and Connection are node's.
 */
export function wireHeaderLines(request: WireRequest, opts: Pick<SendOptions, 'cookie'> = {}): HeaderLine[] {
  const lines: HeaderLine[] = [...request.headers];
  const origin = request.headers.find(([n]) => n.toLowerCase() === 'origin')?.[1];
  const add = (name: string, value: string): void => {
    if (!has(lines, name.toLowerCase())) lines.push([name, value]);
  };
  add('Accept', '*/*');
  add('User-Agent', CHROME_USER_AGENT);
  add('Accept-Language', 'en-US,en;q=0.9');
  add('Accept-Encoding', 'gzip, deflate, br, zstd');
  add('Sec-Fetch-Mode', 'cors');
  if (origin !== undefined) add('Sec-Fetch-Site', secFetchSite(origin, request.url));
  add('Sec-Fetch-Dest', 'empty');
  if (request.withCredentials && opts.cookie) add('Cookie', opts.cookie);
  return lines;
}

// `import http from 'node:http'` builds node:http's ES-module facade, which on Node 22+ reads its lazy
// undici exports (WebSocket, EventSource, …) and so loads undici: ~20 ms of every cold check on Node 24.
// process.getBuiltinModule (Node 20.16+, 22.3+) hands over the module as it is.
const http: typeof httpModule =
  process.getBuiltinModule?.('node:http') ?? (await import('node:http')).default;

// node:https brings node:tls with it, a few ms of a cold start that a plain-http check never needs:
// loaded with the first https URL.
let https: typeof httpsModule | undefined;
const loadHttps = async (): Promise<void> => {
  https ??= (await import('node:https')).default;
};

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** Pair up node's flat rawHeaders (`[name, value, name, value, …]`). */
function pairs(raw: string[]): HeaderLine[] {
  const out: HeaderLine[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** Send one request; never throws, never outlives `timeoutMs` or the signal. */
export function sendWire(request: WireRequest, opts: SendOptions): Promise<TimedResponse> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const fail = (err: unknown): TimedResponse => {
    const f = classifyNetError(err);
    return { kind: 'network-error', netError: f.netError, message: f.message, code: f.code, ms: elapsed() };
  };
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(
      fail(Object.assign(new Error(`invalid URL ${request.url}`), { code: 'ERR_INVALID_URL' })),
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve(
      fail(
        Object.assign(new Error(`unsupported scheme ${url.protocol}`), { code: 'ERR_UNSUPPORTED_SCHEME' }),
      ),
    );
  }
  if (opts.signal?.aborted) {
    return Promise.resolve(fail(Object.assign(new Error('the check deadline passed'), { code: 'TIMEOUT' })));
  }
  if (url.protocol === 'https:' && https === undefined)
    return loadHttps().then(() => sendWire(request, opts));
  return new Promise<TimedResponse>((resolve) => {
    let done = false;
    let req: httpModule.ClientRequest | undefined;
    const finish = (value: TimedResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve(value);
    };
    const timeout = (why: string): void => finish(fail(Object.assign(new Error(why), { code: 'TIMEOUT' })));
    const onAbort = (): void => timeout('the check deadline passed before the server answered');
    const timer = setTimeout(
      () => timeout(`no complete response headers within ${opts.timeoutMs} ms`),
      Math.max(1, opts.timeoutMs),
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const lines = wireHeaderLines(request, opts);
    const body = request.purpose === 'actual' && opts.body !== undefined ? opts.body : undefined;
    if (body !== undefined && !has(lines, 'content-length'))
      lines.push(['Content-Length', String(Buffer.byteLength(body))]);
    try {
      const mod = url.protocol === 'https:' ? https! : http;
      req = mod.request(url, {
        method: request.method,
        // An array keeps order, duplicates and case, as Chromium does for script-set headers.
        // Node adds no Host line when headers come as an array; HTTP/1.1 needs it first.
        headers: [['Host', url.host] as const, ...lines].flat(),
        agent: false,
        maxHeaderSize: MAX_HEADER_BYTES,
        // Browsers verify certificates: a self-signed one is a net error, not something to skip.
        rejectUnauthorized: opts.insecure !== true,
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      });
    } catch (err) {
      finish(fail(err));
      return;
    }
    req.on('error', (err) => finish(fail(err)));
    req.on('response', (res) => {
      const response: TimedResponse = {
        kind: 'response',
        status: res.statusCode ?? 0,
        statusText: res.statusMessage ?? '',
        headers: pairs(res.rawHeaders),
        ms: elapsed(),
      };
      // The body is not needed: drop it and the socket.
      res.on('error', () => {});
      res.destroy();
      finish(response);
    });
    req.end(body);
  });
}

/** Fetch a document (the front-end page for `--page`), reading at most `maxBytes` of its body. */
export function fetchDocument(
  url: string,
  opts: {
    timeoutMs: number;
    signal?: AbortSignal;
    maxBytes?: number;
    ca?: string | Buffer;
    insecure?: boolean;
  },
): Promise<
  | { ok: true; status: number; headers: HeaderLine[]; body: string; ms: number }
  | ({ ok: false } & TimedResponse)
> {
  if (https === undefined && protocolOf(url) === 'https:')
    return loadHttps().then(() => fetchDocument(url, opts));
  const maxBytes = opts.maxBytes ?? 512 * 1024;
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    let req: httpModule.ClientRequest | undefined;
    type Out = Awaited<ReturnType<typeof fetchDocument>>;
    const finish = (v: Out): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve(v);
    };
    const fail = (err: unknown): void => {
      const f = classifyNetError(err);
      finish({
        ok: false,
        kind: 'network-error',
        netError: f.netError,
        message: f.message,
        code: f.code,
        ms: Math.round(performance.now() - started),
      });
    };
    const onAbort = (): void =>
      fail(Object.assign(new Error('the check deadline passed'), { code: 'TIMEOUT' }));
    const timer = setTimeout(
      () => fail(Object.assign(new Error(`no page within ${opts.timeoutMs} ms`), { code: 'TIMEOUT' })),
      Math.max(1, opts.timeoutMs),
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let u: URL;
    try {
      u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw Object.assign(new Error(`unsupported scheme ${u.protocol}`), {
          code: 'ERR_UNSUPPORTED_SCHEME',
        });
      const mod = u.protocol === 'https:' ? https! : http;
      req = mod.request(u, {
        method: 'GET',
        headers: [
          'Host',
          u.host,
          'Accept',
          'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'User-Agent',
          CHROME_USER_AGENT,
          'Sec-Fetch-Mode',
          'navigate',
          'Sec-Fetch-Dest',
          'document',
        ],
        agent: false,
        maxHeaderSize: MAX_HEADER_BYTES,
        rejectUnauthorized: opts.insecure !== true,
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      });
    } catch (err) {
      fail(err);
      return;
    }
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const headers = pairs(res.rawHeaders);
      const complete = (): void =>
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Math.round(performance.now() - started),
        });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBytes) complete();
      });
      res.on('end', complete);
      res.on('error', complete);
    });
    req.end();
  });
}
