/** Every flag `test` takes is in its --help, in README.md's test section and in docs/ci.md. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HELP, parseTestArgs } from '../../src/cli/commands/test.ts';

const FLAGS = [
  '--base',
  '--json',
  '--junit',
  '--sarif',
  '--concurrency',
  '--timeout',
  '--only',
  '--init',
  '--origin',
];

test('every flag is accepted, and documented in --help, README.md and docs/ci.md', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## `test`'), readme.indexOf('## The middleware'));
  const ci = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');
  for (const flag of FLAGS) {
    assert.ok(HELP.includes(flag), `${flag} missing from --help`);
    assert.ok(section.includes(flag), `${flag} missing from README.md's test section`);
    assert.ok(ci.includes(flag), `${flag} missing from docs/ci.md`);
  }
  // …and no flag in --help that the parser refuses
  for (const flag of new Set(HELP.match(/--[a-z-]+/g))) {
    if (flag === '--help') continue;
    const argv =
      flag === '--json'
        ? [flag]
        : flag === '--origin'
          ? ['--init', 'https://a.example/', flag, 'https://b.example']
          : [
              flag,
              flag === '--concurrency'
                ? '4'
                : flag === '--timeout'
                  ? '5s'
                  : flag === '--base'
                    ? 'https://a.example'
                    : 'x',
            ];
    assert.doesNotThrow(() => parseTestArgs(argv), flag);
  }
  assert.throws(() => parseTestArgs(['--concurrency', '0']), /whole number from 1 to 256/);
  assert.throws(() => parseTestArgs(['--origin', 'https://a.example']), /--origin goes with --init/);
  assert.throws(() => parseTestArgs(['--junti', 'x']), /unknown flag '--junti'/);
});
