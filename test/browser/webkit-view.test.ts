/**
 * webkitView on scripted exchanges (no browser): the WebKit facts the differential suite measured on real
 * WebKitGTK 2.50, kept as plain unit tests so they hold on machines without WebKit too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  webkitHeaderOrder,
  webkitReasonLine,
  webkitRequestHeadersValue,
  webkitView,
} from '../../src/browser/engines/webkit.ts';
import type {
  Exchange,
  HeaderLine,
  PageRequest,
  WireRequest,
  WireResponse,
} from '../../src/browser/types.ts';

const PAGE = 'http://127.0.0.1:3000';
const API = 'http://127.0.0.1:4000';
const URL1 = `${API}/data`;

const page = (over: Partial<PageRequest> = {}): PageRequest => ({
  url: URL1,
  origin: PAGE,
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  initiator: 'fetch',
  ...over,
});
const res = (status: number, headers: HeaderLine[] = []): WireResponse => ({
  kind: 'response',
  status,
  headers,
});
const ex = (
  purpose: 'preflight' | 'actual',
  response: WireResponse,
  url = URL1,
  method = 'GET',
): Exchange => ({
  request: {
    purpose,
    method: purpose === 'preflight' ? 'OPTIONS' : method,
    url,
    headers: [],
    withCredentials: false,
  },
  response,
});
const ACAO: HeaderLine = ['Access-Control-Allow-Origin', PAGE];
const cannotLoad = (url = URL1) => `Fetch API cannot load ${url} due to access control checks.`;

describe('webkitView (scripted exchanges)', () => {
  test('one message for a missing Allow-Origin, with the status, then the Fetch API line', () => {
    const v = webkitView(page(), [ex('actual', res(404))], false);
    assert.equal(v.allowed, false);
    assert.deepEqual(v.lines, [
      `Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 404`,
      cannotLoad(),
    ]);
    assert.equal(v.difference, null);
  });

  test('the same message for a mismatched one; a list gets its own message', () => {
    const mismatch = webkitView(
      page(),
      [ex('actual', res(200, [['Access-Control-Allow-Origin', `${PAGE}/`]]))],
      false,
    );
    assert.equal(
      mismatch.lines[0],
      `Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 200`,
    );
    const twoLines = webkitView(page(), [ex('actual', res(200, [ACAO, ACAO]))], false);
    assert.equal(twoLines.lines[0], 'Access-Control-Allow-Origin cannot contain more than one origin.');
  });

  test('XHR words the second line after its own API', () => {
    const v = webkitView(page({ initiator: 'xhr' }), [ex('actual', res(200))], false);
    assert.equal(v.lines[1], `XMLHttpRequest cannot load ${URL1} due to access control checks.`);
  });

  test('the preflight status is checked before its Allow-Origin', () => {
    const v = webkitView(page({ method: 'PUT' }), [ex('preflight', res(404))], false);
    assert.deepEqual(v.lines, ['Preflight response is not successful. Status code: 404', cannotLoad()]);
    assert.equal(v.preflight, true);
  });

  test('credentials: wildcard, then Allow-Credentials', () => {
    const star = webkitView(
      page({ credentials: 'include' }),
      [ex('actual', res(200, [['Access-Control-Allow-Origin', '*']]))],
      false,
    );
    assert.equal(
      star.lines[0],
      'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
    );
    const acac = webkitView(
      page({ credentials: 'include' }),
      [ex('actual', res(200, [ACAO, ['Access-Control-Allow-Credentials', 'True']]))],
      false,
    );
    assert.equal(
      acac.lines[0],
      'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
    );
  });

  test('header names: known names first in WebKit spelling, others as the page set them', () => {
    assert.deepEqual(
      webkitHeaderOrder([
        ['x-a', '1'],
        ['authorization', 't'],
        ['content-type', 'x'],
        ['X-B', '2'],
      ]),
      ['Authorization', 'Content-Type', 'x-a', 'X-B'],
    );
    const v = webkitView(
      page({
        headers: [
          ['x-b', '1'],
          ['X-A', '2'],
        ],
      }),
      [ex('preflight', res(204, [ACAO])), ex('actual', res(200, [ACAO]))],
      false,
    );
    assert.equal(v.lines[0], 'Request header field x-b is not allowed by Access-Control-Allow-Headers.');
  });

  test('`*` in Allow-Headers covers Authorization without credentials (the actual request is then answered)', () => {
    const request = page({ headers: [['Authorization', 'Bearer t']] });
    const preflight = ex(
      'preflight',
      res(204, [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Headers', '*'],
      ]),
    );
    const v = webkitView(
      request,
      [preflight, ex('actual', res(200, [['Access-Control-Allow-Origin', '*']]))],
      true,
    );
    assert.equal(v.allowed, true);
    assert.deepEqual(v.lines, []);
  });

  test('a WebKit-only preflight is asked of the responder; without one the view says it is incomplete', () => {
    // Chromium safelists DPR and sends no preflight; WebKit preflights.
    const request = page({ headers: [['DPR', '2']] });
    const chromium = [ex('actual', res(200, [ACAO]))];
    const bare = webkitView(request, chromium, true);
    assert.equal(bare.complete, false);
    assert.equal(bare.preflight, true);
    const asked: WireRequest[] = [];
    const v = webkitView(request, chromium, true, (r) => {
      asked.push(r);
      return res(404);
    });
    assert.equal(v.complete, true);
    assert.deepEqual(
      asked.map((r) => r.headers.find(([n]) => n === 'Access-Control-Request-Headers')?.[1]),
      ['dpr'],
    );
    assert.deepEqual(v.lines, ['Preflight response is not successful. Status code: 404', cannotLoad()]);
    assert.match(v.difference ?? '', /WebKit blocks where Chromium allows/);
  });

  test('Access-Control-Request-Headers: WebKit safelist (no client hints, no 1024-byte rule), User-Agent allowed', () => {
    assert.equal(
      webkitRequestHeadersValue([
        ['Accept', 'a'.repeat(128)],
        ['DPR', '2'],
        ['X-B', '1'],
      ]),
      'dpr,x-b',
    );
    assert.equal(webkitRequestHeadersValue([['Range', 'Bytes=0-1']]), null);
  });

  test('a redirect failing its CORS check is wrapped and names the hop URL', () => {
    const v = webkitView(page(), [ex('actual', res(302, [['Location', `${API}/final`]]))], false);
    assert.deepEqual(v.lines, [
      `Cross-origin redirection to ${API}/final denied by Cross-Origin Resource Sharing policy: Origin ${PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 302`,
      cannotLoad(),
    ]);
  });

  test('a redirect to another origin makes the Origin null; the final hop names its own URL', () => {
    const third = 'http://127.0.0.1:5000/final';
    const v = webkitView(
      page(),
      [ex('actual', res(302, [ACAO, ['Location', third]])), ex('actual', res(200, [ACAO]), third)],
      false,
    );
    assert.deepEqual(v.lines, [
      'Origin null is not allowed by Access-Control-Allow-Origin. Status code: 200',
      cannotLoad(third),
    ]);
  });

  test("redirect: 'manual' still CORS-checks the redirect; 'error' words its own reason", () => {
    const manual = webkitView(
      page({ redirect: 'manual' }),
      [ex('actual', res(302, [['Location', `${API}/x`]]))],
      true,
    );
    assert.equal(manual.allowed, false);
    assert.match(manual.difference ?? '', /WebKit blocks where Chromium allows/);
    const error = webkitView(
      page({ redirect: 'error' }),
      [ex('actual', res(302, [ACAO, ['Location', `${API}/x`]]))],
      false,
    );
    assert.equal(error.lines[0], `Not allowed to follow a redirection while loading ${URL1}`);
  });

  test('a refused connection: nothing for a simple request, a reason line for a preflight', () => {
    const refused: WireResponse = { kind: 'network-error', netError: 'net::ERR_CONNECTION_REFUSED' };
    assert.deepEqual(webkitView(page(), [ex('actual', refused)], false).lines, []);
    assert.deepEqual(webkitView(page({ method: 'PUT' }), [ex('preflight', refused)], false).lines, [
      'Could not connect to 127.0.0.1: Connection refused',
      cannotLoad(),
    ]);
  });

  test('same-origin mode: one line without the access-control ending', () => {
    assert.deepEqual(webkitView(page({ mode: 'same-origin' }), [], false).lines, [
      `Fetch API cannot load ${URL1}.`,
    ]);
  });

  test('the reason line skips XHR refused-header lines', () => {
    assert.equal(
      webkitReasonLine([
        'Refused to set unsafe header "Cookie"',
        'Origin x is not allowed',
        'XMLHttpRequest cannot load u due to access control checks.',
      ]),
      'Origin x is not allowed',
    );
    assert.equal(webkitReasonLine([]), null);
  });
});
