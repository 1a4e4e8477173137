/**
 * Records Firefox HARs: Debian's firefox-esr over WebDriver BiDi (test/harness/firefox.ts) runs the
 * real-framework cases from a loopback page; the BiDi network events (beforeRequestSent,
 * responseCompleted, fetchError) become a HAR shaped like the Network Monitor's export
 * (devtools/client/netmonitor/src/har/har-builder.js: creator and browser "Firefox", no `_resourceType`,
 * no failure reason). What Firefox shows of a blocked request is what it records: a response blocked by
 * the CORS check keeps its status and headers, a blocked preflight and its request have no response
 * at all (BiDi reports NS_ERROR_DOM_BAD_URI, which the HAR has no field for).
 *
 *   node --import tsx test/har/record-firefox.ts     # rewrites test/fixtures/har/firefox*.{har,json}
 */
import { writeFile } from 'node:fs/promises';
import { launchFirefox } from '../harness/firefox.ts';
import { startPageServer, type Truth } from './record.ts';

interface Ev {
  id: string;
  method: string;
  url: string;
  requestHeaders: { name: string; value: string }[];
  status: number;
  statusText: string;
  responseHeaders: { name: string; value: string }[];
  mimeType: string;
  started: number;
}

const value = (v: unknown): string =>
  typeof v === 'object' && v !== null && 'value' in v
    ? String((v as { value: unknown }).value)
    : String(v ?? '');

export async function recordFirefox(
  page: { url: string; origin: string },
  names?: readonly string[],
): Promise<{ har: unknown; truth: Truth[] }> {
  process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] = page.origin;
  const { CASES, pageRequest } = await import('../diagnosis/framework-cases.ts');
  const cases = CASES.filter(
    (c) =>
      c.page === undefined &&
      c.request?.mode !== 'no-cors' &&
      (names === undefined || names.includes(c.name)),
  );
  const ff = await launchFirefox();
  const events = new Map<string, Ev>();
  const order: Ev[] = [];
  ff.bidi.on((method, p) => {
    const req = p['request'] as
      | { request: string; method: string; url: string; headers: { name: string; value: unknown }[] }
      | undefined;
    if (!req || !method.startsWith('network.')) return;
    // A redirect keeps the request id with a new redirectCount: each hop is its own entry.
    const key = `${req.request}:${String(p['redirectCount'] ?? 0)}`;
    let e = events.get(key);
    if (!e) {
      e = {
        id: key,
        method: req.method,
        url: req.url,
        requestHeaders: [],
        status: 0,
        statusText: '',
        responseHeaders: [],
        mimeType: '',
        started: Number(p['timestamp'] ?? Date.now()),
      };
      events.set(key, e);
      order.push(e);
    }
    e.requestHeaders = req.headers.map((h) => ({ name: h.name, value: value(h.value) }));
    if (method === 'network.responseCompleted') {
      const res = p['response'] as {
        status: number;
        statusText: string;
        headers: { name: string; value: unknown }[];
        mimeType?: string;
      };
      e.status = res.status;
      e.statusText = res.statusText;
      e.responseHeaders = res.headers.map((h) => ({ name: h.name, value: value(h.value) }));
      e.mimeType = res.mimeType ?? '';
    }
  });
  await ff.bidi.send('session.subscribe', {
    events: ['network.beforeRequestSent', 'network.responseCompleted', 'network.fetchError'],
  });
  const truth: Truth[] = [];
  try {
    for (const c of cases) {
      const app = await c.start();
      try {
        const request = pageRequest(c, app.base);
        const seen = await ff.run(page.url, {
          initiator: 'fetch',
          url: request.url,
          method: request.method,
          headers: request.headers.map(([n, v]) => [n, v]),
          credentials: request.credentials,
          mode: request.mode,
        });
        truth.push({
          case: c.name,
          url: request.url,
          method: request.method,
          ok: seen.ok,
          corsError: seen.messages.find((m) => m.key)?.key ?? null,
          consoleLines: seen.consoleLines,
          expect: c.expect,
        });
      } finally {
        await app.close();
      }
    }
  } finally {
    await ff.close();
  }
  // The page's favicon, fetched on every navigation, is noise in a fixture.
  const entries = order
    .filter((e) => !e.url.endsWith('/favicon.ico'))
    .map((e) => {
      const u = new URL(e.url);
      return {
        pageref: 'page_1',
        startedDateTime: new Date(e.started).toISOString(),
        request: {
          bodySize: 0,
          method: e.method,
          url: e.url,
          httpVersion: 'HTTP/1.1',
          headers: e.requestHeaders,
          cookies: [],
          queryString: [...u.searchParams].map(([name, v]) => ({ name, value: v })),
          headersSize: -1,
        },
        response: {
          status: e.status,
          statusText: e.statusText,
          httpVersion: e.status > 0 ? 'HTTP/1.1' : '',
          headers: e.responseHeaders,
          cookies: [],
          content: { mimeType: e.mimeType, size: 0 },
          redirectURL: e.responseHeaders.find((h) => h.name.toLowerCase() === 'location')?.value ?? '',
          headersSize: -1,
          bodySize: -1,
        },
        cache: {},
        timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
        time: 0,
        serverIPAddress: u.hostname,
      };
    });
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'Firefox', version: ff.version },
      browser: { name: 'Firefox', version: ff.version },
      pages: [
        {
          startedDateTime: entries[0]?.startedDateTime,
          id: 'page_1',
          title: 'front end',
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        },
      ],
      entries,
    },
  };
  return { har, truth };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const page = await startPageServer();
  try {
    const out = await recordFirefox(page);
    const fx = new URL('../fixtures/har/', import.meta.url);
    await writeFile(new URL('firefox.har', fx), `${JSON.stringify(out.har, null, 1)}\n`);
    await writeFile(new URL('firefox-truth.json', fx), `${JSON.stringify(out.truth, null, 1)}\n`);
    console.log(`recorded ${out.truth.length} cases`);
  } finally {
    await page.close();
  }
}
