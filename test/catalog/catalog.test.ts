import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINDING_IDS } from '../../src/catalog/ids.ts';
import { allEntries, ENTRIES, getEntry, MISTAKES, STACKS } from '../../src/catalog/index.ts';

describe('catalog', () => {
  it('has exactly one entry per finding id, in FINDING_IDS order', () => {
    assert.deepEqual(
      ENTRIES.map((e) => e.id),
      [...FINDING_IDS],
    );
  });

  it('lists the twelve mistakes, each reported by at least one id', () => {
    assert.deepEqual(
      MISTAKES.map((m) => m.mistake),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    for (const m of MISTAKES) assert.ok(m.ids.length > 0, `mistake ${m.mistake} has no id`);
  });

  it('follows DESIGN.md: ids of mistakes 1-12 carry their number, security/not-CORS ids carry none', () => {
    assert.equal(getEntry('missing-allow-origin').mistake, 1);
    assert.equal(getEntry('wildcard-with-credentials').mistake, 2);
    assert.equal(getEntry('header-not-allowed').mistake, 3);
    assert.equal(getEntry('headers-missing-on-errors').mistake, 4);
    assert.equal(getEntry('cors-headers-in-request').mistake, 12);
    for (const e of ENTRIES) {
      assert.equal(e.mistake === null, e.group !== 'mistake', e.id);
      if (e.group === 'security') assert.equal(e.severity, 'security', e.id);
    }
  });

  it('gives every entry a title, cause and fix in full sentences', () => {
    for (const e of allEntries()) {
      assert.ok(e.title.length > 5, e.id);
      assert.match(e.cause, /\.$/, `${e.id} cause`);
      assert.match(e.fix, /\.$/, `${e.id} fix`);
      assert.ok(e.symptoms.seen.length > 10, e.id);
    }
  });

  it('has a snippet for every required stack on every id of the twelve mistakes', () => {
    for (const e of allEntries().filter((x) => x.mistake !== null)) {
      for (const stack of STACKS) {
        const s = e.snippets[stack];
        assert.ok(s && s.trim().length > 20, `${e.id} lacks a ${stack} snippet`);
      }
    }
  });

  it('keeps the dangerous patterns out of the snippets', () => {
    for (const e of allEntries()) {
      for (const [stack, s] of Object.entries(e.snippets)) {
        // no wildcard origin together with credentials, no reflected origin, no public CORS proxy in code
        assert.doesNotMatch(s, /origin:\s*(true|'\*')/, `${e.id}/${stack}`);
        assert.doesNotMatch(s, /Access-Control-Allow-Origin[" ]+\*/, `${e.id}/${stack}`);
        if (e.id !== 'cors-proxy-in-use') assert.doesNotMatch(s, /cors-anywhere/, `${e.id}/${stack}`);
      }
    }
  });

  it('uses each library under its current major version API', () => {
    const e = getEntry('method-not-allowed');
    assert.match(e.snippets.fastify!, /await app\.register\(cors, \{/);
    assert.match(e.snippets.fastify!, /methods: \[.*'PUT'/);
    assert.match(e.snippets.koa!, /allowMethods:/);
    assert.match(e.snippets.koa!, /keepHeadersOnError: true/);
    assert.match(e.snippets.hono!, /from 'hono\/cors'/);
    assert.match(e.snippets.hono!, /allowMethods:/);
    assert.match(e.snippets.express!, /methods:/);
    assert.match(e.snippets.nextjs!, /export function OPTIONS\(request: Request\)/);
    assert.match(e.snippets['cors-doctor']!, /from 'cors-doctor\/node'/);
    assert.match(e.snippets.nginx!, /always;/);
    assert.match(e.snippets.apache!, /Header always set/);
  });
});
