/**
 * Long pastes stay readable: repeated lines are one message "×N", lines that read the same point back to
 * the first, long values are cut in the text (never in --json), and an oversized paste is refused with its
 * real size, also when it came on stdin and reading stopped storing it.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { run } from '../../src/cli/commands/explain.ts';
import type { CommandContext } from '../../src/cli/context.ts';
import { UsageError } from '../../src/cli/context.ts';
import { explain, groupMessages, MAX_INPUT_CHARS } from '../../src/explain/index.ts';
import { renderExplainJson, renderExplainText } from '../../src/report/explain-text.ts';

const chrome = (url: string) =>
  `Access to fetch at '${url}' from origin 'https://myapp.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
const FIREFOX =
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 401.';

// A StrictMode double effect plus a retry: the same line three times, with DevTools noise between.
const net = (url: string) => `GET ${url} net::ERR_FAILED 200 (OK)`;
const PASTE = [
  chrome('https://api.example.com/data'),
  net('https://api.example.com/data'),
  chrome('https://api.example.com/data'),
  net('https://api.example.com/data'),
  chrome('https://api.example.com/other'),
  net('https://api.example.com/other'),
  // A retry logged without its network line (DevTools' "Hide network" filter): the same message.
  chrome('https://api.example.com/data'),
  FIREFOX,
].join('\n');

function result() {
  const o = explain(PASTE);
  assert.ok(o.ok);
  return o.result;
}

describe('grouping', () => {
  test('identical messages are one group ×N; same reading for another URL points back', () => {
    const groups = groupMessages(result().messages);
    assert.deepEqual(
      groups.map((g) => [g.message.browser, g.message.url, g.count, g.sameAs]),
      [
        ['chrome', 'https://api.example.com/data', 3, undefined],
        ['chrome', 'https://api.example.com/other', 1, 1],
        ['firefox', 'https://api.example.com/data', 1, undefined],
      ],
    );
  });

  test('the text shows ×3 once, the causes once per reading; the JSON keeps every message', () => {
    const r = result();
    const text = renderExplainText(r, false, []);
    assert.match(text, /^5 messages recognised, 3 different\n/);
    assert.match(text, /^1\. Chrome · \w+ ×3$/m);
    assert.match(
      text,
      /^2\. Chrome · \w+\n {3}Same reading as 1, for another request\.\n {3}url +https:\/\/api\.example\.com\/other$/m,
    );
    assert.equal(
      text.match(/^ {3}Likely: /gm)?.length,
      2,
      'causes printed for the Chrome and the Firefox reading only',
    );
    assert.equal(text.match(/^ {3}Confirm: /gm)?.length, 3);
    assert.equal((JSON.parse(renderExplainJson(r)) as { messages: unknown[] }).messages.length, 5);
  });

  test('a single message has no count and no header', () => {
    const o = explain(chrome('https://api.example.com/data'));
    assert.ok(o.ok);
    const text = renderExplainText(o.result, false, []);
    assert.doesNotMatch(text, /×|messages recognised/);
  });

  test('a long URL is cut in the text with its length, kept whole in --json', () => {
    const url = `https://api.example.com/search?q=${'x'.repeat(3000)}`;
    const o = explain(chrome(url));
    assert.ok(o.ok);
    const text = renderExplainText(o.result, false, []);
    assert.match(text, /url +https:\/\/api\.example\.com\/search\?q=x+… \(3033 characters\)$/m);
    assert.ok(!text.split('\n').some((l) => l.startsWith('   url') && l.length > 200));
    assert.equal(o.result.messages[0]?.url, url);
  });
});

describe('size limit', () => {
  const ctx = (input: string): CommandContext =>
    ({
      color: false,
      stdin: Readable.from([input.slice(0, 400_000), input.slice(400_000)]),
      stdout: () => {},
      stderr: () => {},
    }) as unknown as CommandContext;

  test('the pure refusal names the size in characters and KiB', () => {
    const o = explain('x'.repeat(300_000));
    assert.equal(o.ok, false);
    assert.match(
      o.ok ? '' : o.message,
      /has 300000 characters \(293 KiB\); explain reads at most 262144 \(256 KiB\)/,
    );
  });

  test('stdin: the real size, not where reading stopped storing', async () => {
    const big = `${chrome('https://api.example.com/data')}\n${'y'.repeat(1_200_000)}`;
    await assert.rejects(
      run([], ctx(big)),
      (err: unknown) =>
        err instanceof UsageError &&
        err.message.includes(`has ${big.length} characters (1.1 MiB)`) &&
        err.message.includes(`at most ${MAX_INPUT_CHARS}`),
    );
  });
});
