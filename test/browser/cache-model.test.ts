/**
 * The cache model's pure parts (src/browser/cache.ts, next-request.ts): freshness and Vary, the
 * preflight cache's coverage rules, and the "next request" sentences `check` prints. The engines'
 * behaviour these encode is recorded by cache-sequences.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  emptyCache,
  httpFreshness,
  nextRequestNotes,
  runSimulation,
  sharedFreshness,
  varyNames,
} from '../../src/browser/index.ts';
import type { PageRequest, WireRequest, WireResponse } from '../../src/browser/types.ts';

const get = (origin: string): PageRequest => ({
  url: 'http://127.0.0.1:9/data',
  origin,
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
});
const reflect =
  (extra: [string, string][]) =>
  (r: WireRequest): WireResponse => ({
    kind: 'response',
    status: 200,
    headers: [['Access-Control-Allow-Origin', r.headers.find(([n]) => n === 'Origin')?.[1] ?? ''], ...extra],
  });

describe('cache model', () => {
  test('freshness and Vary', () => {
    assert.equal(httpFreshness([['Cache-Control', 'public, max-age=600']]), 600);
    assert.equal(httpFreshness([['Cache-Control', 'no-store, max-age=600']]), 0);
    assert.equal(sharedFreshness([['Cache-Control', 'private, max-age=600']]), 0);
    assert.equal(sharedFreshness([['Cache-Control', 'max-age=60, s-maxage=3600']]), 3600);
    assert.deepEqual(varyNames([['Vary', 'Accept-Encoding, Origin']]), ['accept-encoding', 'origin']);
  });

  test('a cacheable reflected response without Vary is served to the second origin, which fails', () => {
    const cache = emptyCache();
    const first = runSimulation(get('https://a.example'), reflect([['Cache-Control', 'max-age=600']]), {
      cache,
    });
    assert.equal(first.allowed, true);
    let sent = 0;
    const second = runSimulation(
      get('https://b.example'),
      (r) => {
        sent++;
        return reflect([])(r);
      },
      { cache, now: 10 },
    );
    assert.equal(sent, 0, 'answered from the cache');
    assert.equal(second.corsError, 'AllowOriginMismatch');
    assert.ok(second.exchanges[0]?.fromCache);
  });

  test('with Vary: Origin the second origin goes to the server', () => {
    const cache = emptyCache();
    const respond = reflect([
      ['Cache-Control', 'max-age=600'],
      ['Vary', 'Origin'],
    ]);
    runSimulation(get('https://a.example'), respond, { cache });
    const second = runSimulation(get('https://b.example'), respond, { cache, now: 10 });
    assert.equal(second.allowed, true);
    assert.equal(second.exchanges[0]?.fromCache, undefined);
  });

  test('check’s next-request sentences', () => {
    const v = runSimulation(get('https://a.example'), reflect([['Cache-Control', 'max-age=600']]));
    const notes = nextRequestNotes(get('https://a.example'), v);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /cached `Access-Control-Allow-Origin: https:\/\/a\.example`/);
    assert.match(notes[0]!, /`Vary: Origin` is missing and the response is cacheable for 600 s/);
    const withVary = runSimulation(
      get('https://a.example'),
      reflect([
        ['Cache-Control', 'max-age=600'],
        ['Vary', 'Origin'],
      ]),
    );
    assert.deepEqual(nextRequestNotes(get('https://a.example'), withVary), []);
  });
});
