/**
 * HAR 1.2 reading (http://www.softwareishard.com/blog/har-12-spec/), tolerant of what each writer
 * omits: Chrome/Edge DevTools (`_initiator`, `_resourceType`, `response._error`, preflight entries whose
 * `_initiator.type` is `preflight`, the sanitized export without Cookie/Authorization/Set-Cookie),
 * Firefox and Safari (no failure reason: a blocked request is `status: 0`), Playwright's `recordHar`
 * (`status: -1`, `_failureText`, no preflight entries), Charles, mitmproxy, HTTP Toolkit. Pure: text or
 * an already parsed value in, plain data out.
 *
 * Sources for what each writer leaves out: devtools-frontend front_end/models/har/HARFormat.ts (`_error`
 * is `localizedFailDescription`; `sanitize` drops authorization, cookie and set-cookie, the default
 * export since Chrome 130); microsoft/playwright#22783 (recordHar has no OPTIONS preflights); Firefox over
 * WebDriver BiDi, recorded here (test/har/record-firefox.ts): a CORS-blocked response keeps its status
 * and headers with no failure mark, a blocked preflight has no response at all.
 */
import type { HeaderLine } from '../browser/types.ts';

export interface HarEntry {
  /** Position in `log.entries` (0-based): how the report names an entry. */
  index: number;
  method: string;
  url: string;
  requestHeaders: HeaderLine[];
  postData: string | null;
  /** 0 or -1 when no response was recorded (blocked, failed, cancelled). */
  status: number;
  statusText: string;
  responseHeaders: HeaderLine[];
  /** The recorded failure (`net::ERR_FAILED`, `net::ERR_CONNECTION_REFUSED`…), or null. */
  error: string | null;
  /** Lower-case DevTools resource type (`fetch`, `xhr`, `document`, `preflight`…), or null. */
  resourceType: string | null;
  /** `_initiator.type` (`script`, `parser`, `preflight`, `other`), or null. */
  initiatorType: string | null;
  initiatorUrl: string | null;
  pageref: string | null;
  startedDateTime: string | null;
  /** response.content.mimeType, lower case, or null. */
  mimeType: string | null;
}

export interface HarPage {
  id: string;
  title: string;
  /** The page's URL when the writer put one in the title (DevTools does) — else null. */
  url: string | null;
}

export interface ParsedHar {
  creator: string;
  browser: string | null;
  pages: HarPage[];
  entries: HarEntry[];
  /**
   * Does the writer record failures (`_error`, `_failureText`: Chromium DevTools, Playwright)? Without
   * that, a response with a status may still have been blocked by the browser.
   */
  recordsFailures: boolean;
  /** Entries left out, each with the reason (missing or malformed fields). */
  skipped: { index: number; problem: string }[];
}

export type ParseOutcome = { ok: true; har: ParsedHar } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function headers(v: unknown): HeaderLine[] | null {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return null;
  const out: HeaderLine[] = [];
  for (const h of v) {
    if (!isObject(h) || typeof h['name'] !== 'string') continue;
    // HTTP/2 pseudo-headers (`:authority`, `:status`) are not header lines the CORS rules read.
    if (h['name'].startsWith(':')) continue;
    out.push([h['name'], typeof h['value'] === 'string' ? h['value'] : String(h['value'] ?? '')]);
  }
  return out;
}

const looksLikeUrl = (s: string) => /^https?:\/\//i.test(s);

/** Parses HAR text (or a value already parsed from JSON). Never throws. */
export function parseHar(input: string | unknown): ParseOutcome {
  let doc: unknown = input;
  if (typeof input === 'string') {
    const text = input.replace(/^\uFEFF/, '');
    if (text.trim() === '')
      return {
        ok: false,
        problem:
          'the HAR file is empty: export it again (DevTools → Network → ⤓ "Export HAR", or right-click → "Save all as HAR")',
      };
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return {
        ok: false,
        problem: `the file is not JSON (${err instanceof Error ? err.message : String(err)}), so it is not a HAR: export it again from DevTools → Network → "Save all as HAR" and pass that .har file`,
      };
    }
  }
  if (!isObject(doc) || !isObject(doc['log']))
    return {
      ok: false,
      problem:
        'this JSON is not a HAR: a HAR is {"log": {"entries": [...]}}. Export one from DevTools → Network → "Save all as HAR" (Firefox: Network → ⚙ → "Save All As HAR")',
    };
  const log = doc['log'];
  if (!Array.isArray(log['entries']))
    return {
      ok: false,
      problem:
        'this HAR has no log.entries array: it holds no request. Record the failing page again with the Network panel open, then export',
    };
  const creator = isObject(log['creator'])
    ? `${str(log['creator']['name']) ?? '?'} ${str(log['creator']['version']) ?? ''}`.trim()
    : 'unknown';
  const browser = isObject(log['browser'])
    ? `${str(log['browser']['name']) ?? '?'} ${str(log['browser']['version']) ?? ''}`.trim()
    : null;
  const pages: HarPage[] = [];
  if (Array.isArray(log['pages'])) {
    for (const p of log['pages']) {
      if (!isObject(p)) continue;
      const title = str(p['title']) ?? '';
      pages.push({ id: str(p['id']) ?? '', title, url: looksLikeUrl(title) ? title : null });
    }
  }
  const entries: HarEntry[] = [];
  const skipped: ParsedHar['skipped'] = [];
  (log['entries'] as unknown[]).forEach((e, index) => {
    if (!isObject(e)) {
      skipped.push({ index, problem: 'the entry is not an object' });
      return;
    }
    const req = e['request'];
    if (!isObject(req)) {
      skipped.push({ index, problem: 'no request object' });
      return;
    }
    const url = str(req['url']);
    const method = str(req['method']);
    if (url === null || method === null) {
      skipped.push({ index, problem: `request.${url === null ? 'url' : 'method'} is missing` });
      return;
    }
    const reqHeaders = headers(req['headers']);
    if (reqHeaders === null) {
      skipped.push({ index, problem: 'request.headers is not an array' });
      return;
    }
    const res = isObject(e['response']) ? e['response'] : {};
    const resHeaders = headers(res['headers']) ?? [];
    const rawStatus = res['status'];
    const status = typeof rawStatus === 'number' && Number.isFinite(rawStatus) ? rawStatus : 0;
    const initiator = isObject(e['_initiator']) ? e['_initiator'] : null;
    const error = str(res['_error']) || str(res['_failureText']) || str(e['_error']) || null;
    const post = isObject(req['postData']) ? str(req['postData']['text']) : null;
    entries.push({
      index,
      method,
      url,
      requestHeaders: reqHeaders,
      postData: post,
      status,
      statusText: str(res['statusText']) ?? '',
      responseHeaders: resHeaders,
      error,
      resourceType: str(e['_resourceType'])?.toLowerCase() ?? null,
      initiatorType: initiator ? str(initiator['type']) : null,
      initiatorUrl: initiator ? str(initiator['url']) : null,
      pageref: str(e['pageref']),
      startedDateTime: str(e['startedDateTime']),
      mimeType: isObject(res['content']) ? (str(res['content']['mimeType'])?.toLowerCase() ?? null) : null,
    });
  });
  const recordsFailures =
    /WebInspector|Playwright|Chrome|Chromium|Edge|Electron/i.test(creator) ||
    (log['entries'] as unknown[]).some(
      (e) =>
        isObject(e) &&
        isObject(e['response']) &&
        ('_error' in e['response'] || '_failureText' in e['response']),
    );
  return { ok: true, har: { creator, browser, pages, entries, skipped, recordsFailures } };
}
