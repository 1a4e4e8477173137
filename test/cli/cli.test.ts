/**
 * The CLI contract, by running the built CLI (`npm test` builds first): help, version, usage errors
 * (exit 2, one `error: …` line), explain's exit codes, stdin, --json, colour rules (a real pseudo-terminal
 * through util-linux `script`, so the TTY test is not faked).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const LINE =
  "Access to fetch at 'https://api.example.com/data' from origin 'https://myapp.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Run {
  const env = { ...process.env, ...opts.env };
  delete env['FORCE_COLOR'];
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: root,
    input: opts.input ?? '',
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI under a pseudo-terminal (stdout is a TTY there). */
function tty(command: string, env: Record<string, string> = {}): Run | null {
  if (!existsSync('/usr/bin/script')) return null;
  const r = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
    input: '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneErrorLine(r: Run): void {
  assert.equal(r.code, 2);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^error: \S/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('cli', () => {
  it('is built (npm test builds first)', () =>
    assert.ok(existsSync(MAIN), `missing ${MAIN}: run npm run build`));

  it('--help lists the commands and exits 0', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['check', 'explain', 'demo']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
  });

  it('no command prints the help and exits 2', () => {
    const r = cli([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /Usage: cors-doctor <command>/);
  });

  it('--version prints the package version', () => {
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('an unknown command exits 2 with one error line naming the fix', () => {
    const r = cli(['explian', LINE]);
    oneErrorLine(r);
    assert.match(r.stderr, /unknown command 'explian'/);
    assert.match(r.stderr, /--help/);
  });

  it('an unknown flag of explain exits 2 with one error line', () => {
    const r = cli(['explain', '--frobnicate', LINE]);
    oneErrorLine(r);
    assert.match(r.stderr, /unknown option '--frobnicate'/);
  });

  it('explain --help shows usage, what it accepts and examples', () => {
    const r = cli(['explain', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage:/);
    assert.match(r.stdout, /Examples:\n {2}cors-doctor explain "Access to fetch at/);
    assert.match(r.stdout, /--json/);
  });

  it('explain of a CORS line exits 0 and names the mistake, the fix and the check command', () => {
    const r = cli(['explain', LINE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PreflightMissingAllowOriginHeader \(preflight\)/);
    assert.match(
      r.stdout,
      /Likely: {3}#3 The preflight \(OPTIONS\) request is not handled \[preflight-failed-status\]/,
    );
    assert.match(r.stdout, /Fix: /);
    assert.match(
      r.stdout,
      /Confirm: cors-doctor check https:\/\/api\.example\.com\/data --origin https:\/\/myapp\.com/,
    );
    assert.equal(r.stderr, '');
  });

  it('explain joins several arguments (unquoted paste) into one text', () => {
    const r = cli(['explain', ...LINE.split(' ')]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /PreflightMissingAllowOriginHeader/);
  });

  it('explain reads stdin when no text is given', () => {
    const r = cli(['explain'], {
      input: `VM1:1 ${LINE}\nPUT https://api.example.com/data net::ERR_FAILED\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /--method PUT/);
  });

  it('explain - reads stdin too', () => {
    const r = cli(['explain', '-', '--json'], { input: LINE });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { messages: unknown[] }).messages.length, 1);
  });

  it('explain exits 1 with a clear answer when the text holds no CORS message', () => {
    const r = cli(['explain', 'Uncaught (in promise) TypeError: Failed to fetch']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /No CORS message found/);
    assert.match(r.stdout, /Failed to fetch" is what the page's script sees/);
    assert.match(r.stdout, /Firefox: Cross-Origin Request Blocked/);
  });

  it('explain of empty stdin is a usage error', () => {
    oneErrorLine(cli(['explain'], { input: '  \n' }));
  });

  it('explain refuses oversized input with exit 2 and one line', () => {
    const r = cli(['explain'], { input: 'x'.repeat(300_000) });
    oneErrorLine(r);
    assert.match(r.stderr, /at most \d+/);
  });

  it('explain --json prints one JSON document (schemaVersion 1) and nothing else', () => {
    const r = cli(['explain', '--json', LINE]);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout) as {
      schemaVersion: number;
      messages: {
        browser: string;
        corsError: string;
        url: string;
        origin: string;
        causes: { id: string; mistake: number | null; likelihood: string }[];
        check: string;
      }[];
    };
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.messages.length, 1);
    const m = doc.messages[0]!;
    assert.equal(m.browser, 'chrome');
    assert.equal(m.corsError, 'PreflightMissingAllowOriginHeader');
    assert.equal(m.url, 'https://api.example.com/data');
    assert.equal(m.origin, 'https://myapp.com');
    assert.deepEqual(m.causes[0], {
      ...m.causes[0],
      id: 'preflight-failed-status',
      mistake: 3,
      likelihood: 'likely',
    });
    assert.match(m.check, /^cors-doctor check /);
    const none = cli(['explain', '--json', 'nothing here']);
    assert.equal(none.code, 1);
    assert.deepEqual((JSON.parse(none.stdout) as { messages: unknown[] }).messages, []);
  });

  it('colours only on a terminal, and never with --no-color or NO_COLOR', (t) => {
    const cmd = (extra: string) =>
      `${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} explain ${extra} ${JSON.stringify(LINE)}`;
    const coloured = tty(cmd(''), { NO_COLOR: '' });
    if (coloured === null) {
      t.skip('util-linux script is not installed: no pseudo-terminal to test colour with');
      return;
    }
    assert.equal(coloured.code, 0);
    assert.match(coloured.stdout, /\u001b\[1m/, 'bold on a terminal');
    const flag = tty(cmd('--no-color'));
    assert.equal(flag?.code, 0);
    assert.doesNotMatch(flag!.stdout, /\u001b\[/);
    const env = tty(cmd(''), { NO_COLOR: '1' });
    assert.equal(env?.code, 0);
    assert.doesNotMatch(env!.stdout, /\u001b\[/);
    assert.doesNotMatch(cli(['explain', LINE]).stdout, /\u001b\[/, 'no colour into a pipe');
  });

  it('explain with no text on a terminal is a usage error that says how to pass it', (t) => {
    const r = tty(`${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} explain`);
    if (r === null) {
      t.skip('util-linux script is not installed');
      return;
    }
    assert.equal(r.code, 2);
    assert.match(r.stdout, /error: explain needs the console text/);
  });
});
