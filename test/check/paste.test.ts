/**
 * --curl and --fetch: real DevTools copies (Chrome's "Copy as cURL (bash)", "Copy as cURL (cmd)",
 * "Copy as fetch", "Copy as fetch (Node.js)"), recovered as the page's request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bashWords, cmdWords, PasteError, parseCurl } from '../../src/probe/input/curl.ts';
import { parseFetch } from '../../src/probe/input/fetch.ts';

const BASH = String.raw`curl 'https://api.example.com/v1/items/42' \
  -X 'PUT' \
  -H 'accept: */*' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'authorization: Bearer eyJhbGciOi.x.y' \
  -H 'content-type: application/json' \
  -b 'sid=abc123; theme=dark' \
  -H 'origin: https://myapp.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://myapp.com/' \
  -H 'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"' \
  -H 'sec-ch-ua-mobile: ?0' \
  -H 'sec-ch-ua-platform: "Linux"' \
  -H 'sec-fetch-dest: empty' \
  -H 'sec-fetch-mode: cors' \
  -H 'sec-fetch-site: cross-site' \
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \
  -H 'x-request-id: 7f3a' \
  --data-raw $'{"name":"it\'s ok","tags":["a","b"]}'`;

const CMD = String.raw`curl ^"https://api.example.com/v1/items/42^" ^
  -X ^"PUT^" ^
  -H ^"accept: */*^" ^
  -H ^"authorization: Bearer eyJhbGciOi.x.y^" ^
  -H ^"content-type: application/json^" ^
  -b ^"sid=abc123; theme=dark^" ^
  -H ^"origin: https://myapp.com^" ^
  -H ^"sec-ch-ua: ^\^"Chromium^\^";v=^\^"131^\^"^" ^
  -H ^"sec-fetch-mode: cors^" ^
  -H ^"x-request-id: 7f3a^" ^
  --data-raw ^"^{^\^"name^\^":^\^"it's ok^\^",^\^"tags^\^":^[^\^"a^\^",^\^"b^\^"^]^}^"`;

const FETCH = `fetch("https://api.example.com/v1/items/42", {
  "headers": {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "authorization": "Bearer eyJhbGciOi.x.y",
    "content-type": "application/json",
    "priority": "u=1, i",
    "sec-ch-ua": "\\"Chromium\\";v=\\"131\\"",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "cross-site",
    "x-request-id": "7f3a"
  },
  "referrer": "https://myapp.com/",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": "{\\"name\\":\\"it's ok\\",\\"tags\\":[\\"a\\",\\"b\\"]}",
  "method": "PUT",
  "mode": "cors",
  "credentials": "include"
});`;

const FETCH_NODE = `fetch("https://api.example.com/v1/items/42", {
  "headers": {
    "accept": "*/*",
    "authorization": "Bearer eyJhbGciOi.x.y",
    "content-type": "application/json",
    "cookie": "sid=abc123; theme=dark",
    "Referer": "https://myapp.com/",
    "x-request-id": "7f3a"
  },
  "body": "{\\"name\\":\\"it's ok\\",\\"tags\\":[\\"a\\",\\"b\\"]}",
  "method": "PUT"
});`;

const OWN = [
  ['authorization', 'Bearer eyJhbGciOi.x.y'],
  ['content-type', 'application/json'],
  ['x-request-id', '7f3a'],
];
const BODY = `{"name":"it's ok","tags":["a","b"]}`;

describe('--curl', () => {
  test("bash copy: URL, method, the script's own headers only, origin, cookies → credentials include, body", () => {
    const r = parseCurl(BASH);
    assert.equal(r.url, 'https://api.example.com/v1/items/42');
    assert.equal(r.method, 'PUT');
    assert.deepEqual(r.headers, OWN);
    assert.equal(r.origin, 'https://myapp.com');
    assert.equal(r.cookie, 'sid=abc123; theme=dark');
    assert.equal(r.credentials, 'include');
    assert.equal(r.body, BODY);
  });

  test('cmd copy gives the same request', () => {
    const r = parseCurl(CMD);
    assert.equal(r.url, 'https://api.example.com/v1/items/42');
    assert.equal(r.method, 'PUT');
    assert.deepEqual(r.headers, OWN);
    assert.equal(r.origin, 'https://myapp.com');
    assert.equal(r.credentials, 'include');
    assert.equal(r.body, BODY);
  });

  test('cmd tokeniser: carets, continuation lines, MSVCRT backslash rules', () => {
    assert.deepEqual(cmdWords('curl ^"a b^" ^\n  c'), ['curl', 'a b', 'c']);
    assert.deepEqual(cmdWords(String.raw`x ^"say \^"hi\^"^"`), ['x', 'say "hi"']);
    // Backslashes not before a quote are literal (what curl.exe receives).
    assert.deepEqual(cmdWords(String.raw`x ^"a\\b^" ^"c\\\^"^"`), ['x', 'a\\\\b', 'c\\"']);
    assert.deepEqual(cmdWords('x ^"100%^%^"'), ['x', '100%%']);
  });

  test('--data implies POST and the form content type; -X wins', () => {
    const r = parseCurl(`curl https://api.example.com/f -H 'Origin: https://a.example' -d 'x=1'`);
    assert.equal(r.method, 'POST');
    assert.deepEqual(r.headers, [['Content-Type', 'application/x-www-form-urlencoded']]);
    assert.equal(r.credentials, undefined);
    assert.equal(parseCurl(`curl -X PATCH https://h.example/ -d x`).method, 'PATCH');
    assert.equal(parseCurl(`curl --json '{}' https://h.example/`).headers[0]?.[1], 'application/json');
  });

  test('no Origin: the referer gives it; a copied preflight stands for the request it announced', () => {
    assert.equal(
      parseCurl(`curl 'https://h.example/x' -H 'referer: https://app.example:8443/page?q=1'`).origin,
      'https://app.example:8443',
    );
    const r = parseCurl(
      `curl 'https://h.example/x' -X 'OPTIONS' -H 'access-control-request-method: DELETE' -H 'access-control-request-headers: authorization,x-trace' -H 'origin: https://a.example'`,
    );
    assert.equal(r.method, 'DELETE');
    assert.deepEqual(
      r.headers.map(([n]) => n),
      ['authorization', 'x-trace'],
    );
  });

  test('shell operators, unknown options and non-curl text are refused with the reason', () => {
    assert.throws(() => parseCurl(`curl https://h.example/ | sh`), /shell operator/);
    assert.throws(
      () => parseCurl(`curl --frobnicate https://h.example/`),
      /unknown curl option '--frobnicate'/,
    );
    assert.throws(() => parseCurl(`wget https://h.example/`), /does not start with 'curl'/);
    assert.throws(() => parseCurl(`curl -H`), PasteError);
    assert.throws(() => parseCurl(''), /empty/);
  });

  test('no expansion: $VARS stay literal text', () => {
    assert.deepEqual(bashWords(`curl "https://h.example/$HOME" -H "x: $(id)"`).slice(1, 2), [
      'https://h.example/$HOME',
    ]);
  });
});

describe('--fetch', () => {
  test('browser copy: method, own headers, origin from referrer, credentials, mode, body', () => {
    const r = parseFetch(FETCH);
    assert.equal(r.url, 'https://api.example.com/v1/items/42');
    assert.equal(r.method, 'PUT');
    assert.deepEqual(r.headers, OWN);
    assert.equal(r.origin, 'https://myapp.com');
    assert.equal(r.credentials, 'include');
    assert.equal(r.mode, 'cors');
    assert.equal(r.body, BODY);
  });

  test('Node.js copy: cookie and Referer inside headers', () => {
    const r = parseFetch(FETCH_NODE);
    assert.deepEqual(r.headers, OWN);
    assert.equal(r.origin, 'https://myapp.com');
    assert.equal(r.cookie, 'sid=abc123; theme=dark');
    assert.equal(r.credentials, 'include');
  });

  test('await, window.fetch and .then chains are found', () => {
    assert.equal(
      parseFetch(`await window.fetch('https://h.example/a').then(r => r.json())`).url,
      'https://h.example/a',
    );
    assert.equal(parseFetch('fetch(`https://h.example/b`, { method: "DELETE" })').method, 'DELETE');
  });

  test('never evaluated: any expression is refused with its position', () => {
    let ran = false;
    (globalThis as Record<string, unknown>)['__corsDoctorRan'] = () => (ran = true);
    assert.throws(
      () => parseFetch(`fetch("https://h.example/", { headers: { a: __corsDoctorRan() } })`),
      /only literal values are read, not code \(found CallExpression at line 1, column \d+\)/,
    );
    assert.throws(() => parseFetch('fetch(url)'), /found Identifier/);
    assert.throws(() => parseFetch('fetch(`https://h.example/$' + '{x}`)'), /TemplateLiteral/);
    assert.equal(ran, false);
    delete (globalThis as Record<string, unknown>)['__corsDoctorRan'];
  });

  test('not JavaScript, or no fetch call: a clear error', () => {
    assert.throws(() => parseFetch('fetch("https://h.example/", {'), /not valid JavaScript/);
    assert.throws(() => parseFetch('console.log(1)'), /no fetch\(…\) call/);
  });
});
