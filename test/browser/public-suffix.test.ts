/**
 * src/browser/public-suffix.ts against tldts (a devDependency, the data's source) over every rule tldts
 * ships, each with labels prepended, and its ancestors: both sections, wildcards, exceptions, Unicode
 * rules as the punycode WHATWG URL makes of them, trailing dots, IPs, localhost, unknown TLDs. The rules
 * are read from tldts's own trie here, not from the generated file, so a rule the generator drops shows.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { getDomain, parse } from 'tldts';
import { publicSuffixAt, registrableDomain } from '../../src/browser/public-suffix.ts';

const root = new URL('../../', import.meta.url);
const trie = createRequire(import.meta.url)('tldts/dist/cjs/src/data/trie.js') as {
  nodeFlags: Uint8Array;
  edgeStart: Uint16Array;
  edgeLength: Uint8Array;
  edgeChild: Uint16Array;
  labelText: string;
  rulesRoot: number;
  exceptionsRoot: number;
};

/** Every rule in tldts's trie, PSL syntax, Unicode labels as tldts holds them. */
function tldtsRules(): string[] {
  const out: string[] = [];
  const starts: number[] = [];
  for (let e = 0, at = 0; e < trie.edgeLength.length; at += trie.edgeLength[e]!, e++) starts.push(at);
  const walk = (node: number, domain: string, prefix: string): void => {
    if (trie.nodeFlags[node] !== 0) out.push(prefix + domain);
    for (let e = trie.edgeStart[node]!; e < trie.edgeStart[node + 1]!; e++) {
      const label = trie.labelText.slice(starts[e]!, starts[e]! + trie.edgeLength[e]!);
      walk(trie.edgeChild[e]!, domain === '' ? label : `${label}.${domain}`, prefix);
    }
  };
  walk(trie.rulesRoot, '', '');
  walk(trie.exceptionsRoot, '', '!');
  return out;
}

/** What callers pass: WHATWG URL's hostname (lower case, punycode, IPv6 in brackets). */
const hostname = (host: string): string => new URL(`http://${host}/`).hostname;

const rules = tldtsRules();
const ancestors = (domain: string): string[] =>
  domain
    .split('.')
    .slice(1)
    .map((_, i, labels) => labels.slice(i).join('.'));
const hosts = new Set<string>(
  [
    'localhost',
    'a.localhost',
    'intranet',
    'example.com',
    'www.example.co.uk',
    'my_app.example.com',
    'example.unknowntld',
    'a.b.example.unknowntld',
    'xn--nxasmq6b.xn--nxasmq6b',
    '1.2.3.4',
    '127.0.0.1',
    '0x7f.1',
    '[::1]',
    '[2001:db8::1]',
  ].map(hostname),
);
for (const rule of rules) {
  const body = rule.replace(/^!/, '');
  for (const filled of [body.replace('*', 'wild'), body.replace('*', 'other')])
    for (const host of [filled, `x.${filled}`, `y.x.${filled}`, ...ancestors(filled)])
      hosts.add(hostname(host));
}

describe('registrableDomain', () => {
  test(`matches tldts's getDomain over ${hosts.size} hosts, both sections, with and without a trailing dot`, () => {
    assert.ok(rules.length > 10_000, `${rules.length} rules`);
    const wrong: string[] = [];
    for (const host of hosts)
      for (const privateDomains of [false, true]) {
        const expected = getDomain(host, { allowPrivateDomains: privateDomains });
        const got = registrableDomain(host, { privateDomains });
        if (got !== expected) wrong.push(`${host} (private: ${privateDomains}): ${got}, tldts ${expected}`);
        // tldts drops the trailing dot; the URL Standard's registrable domain keeps it.
        if (host.startsWith('[')) continue;
        const dotted = registrableDomain(`${host}.`, { privateDomains });
        if (dotted !== (expected === null ? null : `${expected}.`))
          wrong.push(`${host}. (private: ${privateDomains}): ${dotted}, tldts ${expected}`);
      }
    assert.deepEqual(wrong.slice(0, 20), []);
  });

  test('the cases the PSL algorithm spells out', () => {
    const cases: [string, boolean, string | null][] = [
      ['www.example.co.uk', false, 'example.co.uk'],
      ['co.uk', false, null],
      ['foo.github.io', false, 'github.io'],
      ['foo.github.io', true, 'foo.github.io'],
      ['github.io', true, null],
      // Wildcard `*.ck`, exception `!www.ck`.
      ['ck', false, null],
      ['test.ck', false, null],
      ['b.test.ck', false, 'b.test.ck'],
      ['www.ck', false, 'www.ck'],
      ['www.www.ck', false, 'www.ck'],
      ['www.city.kawasaki.jp', false, 'city.kawasaki.jp'],
      ['a.b.kawasaki.jp', false, 'a.b.kawasaki.jp'],
      // The default rule `*`: an unknown TLD is a suffix.
      ['a.b.example.unknowntld', false, 'example.unknowntld'],
      ['localhost', false, null],
      ['127.0.0.1', false, null],
      ['[::1]', true, null],
      ['example.com.', false, 'example.com.'],
      // An empty label where the registrable label would be.
      ['.com', false, null],
      ['a..com', false, null],
      ['example.com..', false, null],
      ['a..example.com', false, 'example.com'],
      ['', false, null],
    ];
    for (const [host, privateDomains, expected] of cases)
      assert.equal(registrableDomain(host, { privateDomains }), expected, host);
  });
});

describe('publicSuffixAt', () => {
  const below = new Set(rules.flatMap((rule) => ancestors(rule.replace(/^!/, ''))));
  test('self when tldts calls the domain a listed suffix, below when a rule lies under it', () => {
    const wrong: string[] = [];
    const domains = new Set(
      [...hosts]
        .filter((h) => !h.startsWith('[') && !/^[\d.]+$/.test(h))
        .flatMap((h) => [h, ...ancestors(h)]),
    );
    for (const domain of domains) {
      const p = parse(domain, { allowPrivateDomains: true });
      const expected =
        p.publicSuffix === domain && (p.isIcann || p.isPrivate) ? 'self' : below.has(domain) ? 'below' : null;
      const got = publicSuffixAt(domain);
      if (got !== expected) wrong.push(`${domain}: ${got}, expected ${expected}`);
    }
    assert.deepEqual(wrong.slice(0, 20), []);
  });

  test('the guard cases', () => {
    assert.equal(publicSuffixAt('com'), 'self');
    assert.equal(publicSuffixAt('github.io'), 'self');
    assert.equal(publicSuffixAt('x.compute.amazonaws.com'), 'self');
    assert.equal(publicSuffixAt('amazonaws.com'), 'below');
    assert.equal(publicSuffixAt('example.com'), null);
    // An exception is a registrable domain, not a suffix.
    assert.equal(publicSuffixAt('www.ck'), null);
    assert.equal(publicSuffixAt('city.kawasaki.jp'), null);
  });
});

test('the checked-in public-suffix-data.ts is what the generator makes from the installed tldts', () => {
  const fresh = execFileSync(process.execPath, ['scripts/gen-public-suffixes.mjs', '--stdout'], {
    cwd: root,
    encoding: 'utf8',
  });
  const checkedIn = readFileSync(new URL('src/browser/public-suffix-data.ts', root), 'utf8');
  assert.ok(fresh === checkedIn, 'stale: run node scripts/gen-public-suffixes.mjs');
});
