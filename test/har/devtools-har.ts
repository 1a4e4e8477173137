/**
 * A DevTools-format HAR built from the DevTools protocol's Network events, the way DevTools' own HAR
 * writer does it (devtools-frontend front_end/models/har/HARFormat.ts `Log.build` / `Entry.build`, and
 * SDK NetworkRequest.addExtraRequestInfo / addExtraResponseInfo): raw request headers from
 * requestWillBeSentExtraInfo, raw response headers and status from responseReceivedExtraInfo (so a
 * response the CORS check blocked still has them), `_initiator` (preflights: type `preflight`),
 * `_resourceType`, `response._error` from loadingFailed.errorText, and the default "sanitized" export
 * that drops Cookie, Authorization and Set-Cookie.
 */
import type { CDPSession } from 'playwright-core';

type Headers = Record<string, string>;
interface Req {
  id: string;
  url: string;
  method: string;
  headers: Headers;
  rawHeaders?: Headers;
  postData?: string;
  initiator: { type: string; url?: string; requestId?: string };
  resourceType: string;
  wallTime: number;
  status: number;
  statusText: string;
  responseHeaders: Headers;
  rawResponseHeaders?: Headers;
  rawStatus?: number;
  mimeType: string;
  error: string;
  corsError?: string;
  done: boolean;
}

// Chrome joins repeated response headers with '\n' in the protocol; DevTools splits them into entries.
const toList = (h: Headers | undefined) =>
  Object.entries(h ?? {}).flatMap(([name, value]) => value.split('\n').map((v) => ({ name, value: v })));

export interface DevtoolsRecorder {
  /** Every request seen, in issue order. */
  requests: Req[];
  /** The HAR as DevTools exports it (`sanitize`: the default "Save all as HAR (sanitized)"). */
  har(pageUrl: string, sanitize: boolean, version: string): unknown;
  /** Waits until every request has finished or failed (bounded). */
  settle(timeoutMs: number): Promise<void>;
}

export async function recordDevtools(cdp: CDPSession): Promise<DevtoolsRecorder> {
  const byId = new Map<string, Req>();
  const order: Req[] = [];
  // Redirects reuse the requestId: the finished hop is kept as its own entry, as DevTools does.
  cdp.on('Network.requestWillBeSent', (e) => {
    const prev = byId.get(e.requestId);
    if (prev && e.redirectResponse) {
      prev.status = e.redirectResponse.status;
      prev.statusText = e.redirectResponse.statusText;
      prev.responseHeaders = e.redirectResponse.headers;
      prev.done = true;
      prev.id = `${e.requestId}:redirected.${order.filter((r) => r.id.startsWith(e.requestId)).length}`;
    }
    const r: Req = {
      id: e.requestId,
      url: e.request.url,
      method: e.request.method,
      headers: e.request.headers,
      ...(e.request.postData !== undefined ? { postData: e.request.postData } : {}),
      initiator: e.initiator,
      resourceType: e.type ?? 'Other',
      wallTime: e.wallTime,
      status: 0,
      statusText: '',
      responseHeaders: {},
      mimeType: '',
      error: '',
      done: false,
    };
    byId.set(e.requestId, r);
    order.push(r);
  });
  // ExtraInfo events may arrive before or after their request; keep them until it exists.
  const pendingReq = new Map<string, Headers>();
  const pendingRes = new Map<string, { headers: Headers; statusCode?: number }>();
  const applyExtra = () => {
    for (const [id, h] of pendingReq) {
      const r = byId.get(id);
      if (r && !r.done) {
        r.rawHeaders = h;
        pendingReq.delete(id);
      }
    }
    for (const [id, x] of pendingRes) {
      const r = byId.get(id);
      if (r) {
        r.rawResponseHeaders = x.headers;
        if (x.statusCode) r.rawStatus = x.statusCode;
        pendingRes.delete(id);
      }
    }
  };
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    pendingReq.set(e.requestId, e.headers);
    applyExtra();
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    pendingRes.set(e.requestId, { headers: e.headers, statusCode: e.statusCode });
    applyExtra();
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.statusText = e.response.statusText;
    r.responseHeaders = e.response.headers;
    r.mimeType = e.response.mimeType;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.done = true;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.error = e.errorText;
    if (e.corsErrorStatus) r.corsError = e.corsErrorStatus.corsError;
    r.done = true;
  });
  await cdp.send('Network.enable');
  return {
    requests: order,
    async settle(timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end && order.some((r) => !r.done)) await new Promise((r) => setTimeout(r, 20));
      applyExtra();
    },
    har(pageUrl, sanitize, version) {
      applyExtra();
      const entries = order.map((r) => {
        let requestHeaders = toList(r.rawHeaders ?? r.headers);
        let responseHeaders = toList(r.rawResponseHeaders ?? r.responseHeaders);
        if (sanitize) {
          requestHeaders = requestHeaders.filter(
            ({ name }) => !['authorization', 'cookie'].includes(name.toLowerCase()),
          );
          responseHeaders = responseHeaders.filter(({ name }) => name.toLowerCase() !== 'set-cookie');
        }
        const url = new URL(r.url);
        const location = responseHeaders.find((h) => h.name.toLowerCase() === 'location')?.value ?? '';
        return {
          _initiator: {
            type: r.initiator.type,
            ...(r.initiator.url !== undefined ? { url: r.initiator.url } : {}),
            ...(r.initiator.requestId !== undefined ? { requestId: r.initiator.requestId } : {}),
          },
          _priority: 'High',
          _resourceType: r.resourceType.toLowerCase(),
          cache: {},
          pageref: 'page_1',
          request: {
            method: r.method,
            url: r.url.split('#')[0],
            httpVersion: 'http/1.1',
            headers: requestHeaders,
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            cookies: [],
            headersSize: -1,
            bodySize: r.postData ? new TextEncoder().encode(r.postData).length : 0,
            ...(r.postData
              ? { postData: { mimeType: r.headers['Content-Type'] ?? '', text: r.postData } }
              : {}),
          },
          response: {
            status: r.rawStatus ?? r.status,
            statusText: r.statusText,
            httpVersion: 'http/1.1',
            headers: responseHeaders,
            cookies: [],
            content: { size: 0, mimeType: r.mimeType || 'x-unknown' },
            redirectURL: location,
            headersSize: -1,
            bodySize: -1,
            _transferSize: 0,
            _error: r.error || null,
          },
          serverIPAddress: url.hostname,
          startedDateTime: new Date(r.wallTime * 1000).toJSON(),
          time: 1,
          timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 1, receive: 0 },
        };
      });
      return {
        log: {
          version: '1.2',
          creator: { name: 'WebInspector', version },
          pages: [
            {
              startedDateTime: entries[0]?.startedDateTime ?? new Date(0).toJSON(),
              id: 'page_1',
              title: pageUrl,
              pageTimings: { onContentLoad: -1, onLoad: -1 },
            },
          ],
          entries,
        },
      };
    },
  };
}
