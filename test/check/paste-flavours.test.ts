/**
 * Every DevTools "Copy as …" flavour, written exactly as each browser's generator writes it, mapped back to
 * what the page sent. Generators read: Chrome/Edge devtools-frontend NetworkLogView.ts
 * (generateCurlCommand, generateFetchCall for "fetch" and "Node.js fetch", generatePowerShellCommand);
 * Firefox devtools/client/shared/curl.js and netmonitor RequestListContextMenu.js (generateFetchString,
 * copyAsPowerShell); WebKit Web Inspector Resource.js (generateCURLCommand: `-XPUT`, headers as recorded).
 * Edge ships Chromium's DevTools, so its copies are Chrome's with Edge's client hints.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { parseCheckArgs, run } from '../../src/cli/commands/check.ts';
import type { CommandContext } from '../../src/cli/context.ts';
import { UsageError } from '../../src/cli/context.ts';
import { parseCurl } from '../../src/probe/input/curl.ts';
import { parseFetch } from '../../src/probe/input/fetch.ts';
import type { PastedRequest } from '../../src/probe/input/pasted.ts';
import { parsePowerShell, powershellTokens } from '../../src/probe/input/powershell.ts';

const URL_ = 'https://api.example.com/v1/items/42';
const BODY = `{"name":"it's ok","tags":["a","b"]}`;
const UA_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const UA_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** What every flavour must give back: the page's PUT with its two own headers and a JSON body. */
function assertPage(r: PastedRequest, opts: { cookie?: boolean; lower?: boolean } = {}): void {
  assert.equal(r.url, URL_);
  assert.equal(r.method, 'PUT');
  assert.deepEqual(r.headers.map(([n, v]) => [n.toLowerCase(), v]).sort(), [
    ['authorization', 'Bearer eyJhbGciOi.x.y'],
    ['content-type', 'application/json'],
    ['x-request-id', '7f3a'],
  ]);
  assert.equal(r.origin, 'https://myapp.com');
  assert.equal(r.body, BODY);
  if (opts.cookie !== false) {
    assert.equal(r.cookie, 'sid=abc123; theme=dark');
    assert.equal(r.credentials, 'include');
  }
}

// Chrome 131, "Copy as PowerShell" on an HTTP/2 request with cookies: the session prelude, the
// pseudo-headers without their colon, content-type moved to -ContentType, `" and `$ escapes.
const CHROME_PS = `$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.UserAgent = "${UA_CHROME}"
$session.Cookies.Add((New-Object System.Net.Cookie("sid", "abc123", "/", "api.example.com")))
$session.Cookies.Add((New-Object System.Net.Cookie("theme", "dark", "/", ".example.com")))
Invoke-WebRequest -UseBasicParsing -Uri "${URL_}" \`
-Method "PUT" \`
-WebSession $session \`
-Headers @{
"authority"="api.example.com"
  "method"="PUT"
  "path"="/v1/items/42"
  "scheme"="https"
  "accept"="*/*"
  "accept-encoding"="gzip, deflate, br, zstd"
  "accept-language"="en-US,en;q=0.9"
  "authorization"="Bearer eyJhbGciOi.x.y"
  "origin"="https://myapp.com"
  "priority"="u=1, i"
  "referer"="https://myapp.com/"
  "sec-ch-ua"="\`"Chromium\`";v=\`"131\`", \`"Not_A Brand\`";v=\`"24\`""
  "sec-ch-ua-mobile"="?0"
  "sec-ch-ua-platform"="\`"Windows\`""
  "sec-fetch-dest"="empty"
  "sec-fetch-mode"="cors"
  "sec-fetch-site"="cross-site"
  "x-request-id"="7f3a"
} \`
-ContentType "application/json" \`
-Body "{\`"name\`":\`"it's ok\`",\`"tags\`":[\`"a\`",\`"b\`"]}"`;

// Firefox 128, "Copy as PowerShell": -Method unquoted, -UserAgent, `"Name" = "value"` entries, Alt-Used.
const FIREFOX_PS = `$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.Cookies.Add((New-Object System.Net.Cookie("sid", "abc123", "/", "api.example.com")))
$session.Cookies.Add((New-Object System.Net.Cookie("theme", "dark", "/", "api.example.com")))
Invoke-WebRequest -UseBasicParsing -Uri "${URL_}" \`
-Method PUT \`
-WebSession $session \`
-UserAgent "${UA_FIREFOX}" \`
-Headers @{
"Accept" = "*/*"
"Accept-Language" = "en-US,en;q=0.5"
"Accept-Encoding" = "gzip, deflate, br, zstd"
"Authorization" = "Bearer eyJhbGciOi.x.y"
"X-Request-Id" = "7f3a"
"Origin" = "https://myapp.com"
"Alt-Used" = "api.example.com"
"Connection" = "keep-alive"
"Referer" = "https://myapp.com/"
"Sec-Fetch-Dest" = "empty"
"Sec-Fetch-Mode" = "cors"
"Sec-Fetch-Site" = "cross-site"
"Priority" = "u=0"
"TE" = "trailers"
} \`
-ContentType "application/json" \`
-Body "{\`"name\`":\`"it's ok\`",\`"tags\`":[\`"a\`",\`"b\`"]}"`;

// Chrome: fewer than three parts are joined by a space (one line), no session without cookies or UA.
const CHROME_PS_SHORT = `Invoke-WebRequest -UseBasicParsing -Uri "https://api.example.com/data" -Headers @{
"accept"="application/json"
  "origin"="http://localhost:5173"
  "x-api-key"="k-\`$ecret"
}`;

// Chrome writes a body outside printable ASCII as UTF-8 bytes, each such character as $([char]N).
const CHROME_PS_UTF8 = `Invoke-WebRequest -UseBasicParsing -Uri "https://api.example.com/notes" \`
-Method "POST" \`
-Headers @{
"origin"="https://myapp.com"
} \`
-ContentType "text/plain;charset=UTF-8" \`
-Body ([System.Text.Encoding]::UTF8.GetBytes("caf$([char]233) \`"ok\`""))`;

describe('--powershell', () => {
  test('Chrome/Edge copy: session cookies, pseudo-headers dropped, -ContentType, backtick escapes', () => {
    const r = parsePowerShell(CHROME_PS);
    assertPage(r);
    assert.ok(!r.headers.some(([n]) => ['authority', 'method', 'path', 'scheme'].includes(n)));
  });

  test('Firefox copy: -Method unquoted, -UserAgent, Alt-Used and TE dropped', () => {
    assertPage(parsePowerShell(FIREFOX_PS));
  });

  test('one-line copy without a session; `$ is a literal dollar', () => {
    const r = parsePowerShell(CHROME_PS_SHORT);
    assert.equal(r.method, 'GET');
    assert.equal(r.origin, 'http://localhost:5173');
    assert.deepEqual(r.headers, [
      ['accept', 'application/json'],
      ['x-api-key', 'k-$ecret'],
    ]);
    assert.equal(r.credentials, undefined);
  });

  test('non-ASCII body through UTF8.GetBytes and $([char]N)', () => {
    const r = parsePowerShell(CHROME_PS_UTF8);
    assert.equal(r.method, 'POST');
    assert.equal(r.body, 'café "ok"');
    assert.deepEqual(r.headers, [['Content-Type', 'text/plain;charset=UTF-8']]);
  });

  test('a copied preflight stands for the request it announced', () => {
    const r = parsePowerShell(`Invoke-WebRequest -UseBasicParsing -Uri "https://h.example/x" \`
-Method "OPTIONS" \`
-Headers @{
"access-control-request-headers"="authorization,x-trace"
  "access-control-request-method"="DELETE"
  "origin"="https://a.example"
}`);
    assert.equal(r.method, 'DELETE');
    assert.equal(r.preflight, true);
    assert.deepEqual(
      r.headers.map(([n]) => n),
      ['authorization', 'x-trace'],
    );
  });

  test('never run: variables and sub-expressions in strings are refused, and so is other code', () => {
    assert.throws(
      () => parsePowerShell('Invoke-WebRequest -Uri "https://h.example/$env:HOME"'),
      /'\$env:HOME', which PowerShell would expand; cors-doctor never runs the paste/,
    );
    assert.throws(
      () => parsePowerShell('Invoke-WebRequest -Uri "https://h.example/$(Remove-Item x)"'),
      /would expand/,
    );
    assert.throws(
      () => parsePowerShell('Remove-Item -Recurse C:\\\nInvoke-WebRequest -Uri "https://h.example/"'),
      /a statement cors-doctor does not read \('Remove-Item/,
    );
    assert.throws(
      () => parsePowerShell('Invoke-WebRequest -Uri "https://h.example/" -Frobnicate 1'),
      /unknown Invoke-WebRequest parameter '-Frobnicate'/,
    );
  });

  test('"Copy all as PowerShell" (requests joined by ;) is refused with what to do', () => {
    const one = 'Invoke-WebRequest -UseBasicParsing -Uri "https://h.example/a"';
    assert.throws(() => parsePowerShell(`${one};\r\n${one}`), /several requests .*copy only the failing one/);
  });

  test('bad input names the problem', () => {
    assert.throws(() => parsePowerShell(''), /empty/);
    assert.throws(() => parsePowerShell('Invoke-WebRequest -UseBasicParsing'), /no -Uri/);
    assert.throws(() => parsePowerShell('Invoke-WebRequest -Uri "https://h.example/'), /unclosed " string/);
    assert.throws(() => parsePowerShell('Invoke-WebRequest -Uri "x" -Headers @{ "a"="b"'), /not closed/);
    assert.throws(() => parsePowerShell('Write-Host hi'), /does not read/);
  });

  test('tokeniser: continuation lines, doubled quotes, single quotes', () => {
    assert.deepEqual(
      powershellTokens('iwr `\n  -Uri \'it\'\'s\' "a""b"').map((t) => ('v' in t ? t.v : t.t)),
      ['iwr', '-Uri', "it's", 'a"b'],
    );
  });
});

// Chrome 131 "Copy as cURL (cmd)": since the escapeStringWin rewrite a value without a newline is
// wrapped in plain "…" and only the characters inside get carets.
const CHROME_CMD = String.raw`curl "${URL_}" ^
  -X "PUT" ^
  -H "accept: */*" ^
  -H "authorization: Bearer eyJhbGciOi.x.y" ^
  -H "content-type: application/json" ^
  -b "sid=abc123; theme=dark" ^
  -H "origin: https://myapp.com" ^
  -H "sec-ch-ua: ^\^"Chromium^\^";v=^\^"131^\^"" ^
  -H "x-request-id: 7f3a" ^
  --data-raw "^{^\^"name^\^":^\^"it's ok^\^",^\^"tags^\^":^[^\^"a^\^",^\^"b^\^"^]^}"`;

// Firefox 128 "Copy as cURL (POSIX)": --compressed before -X, method unquoted, Cookie as a header.
const FIREFOX_POSIX = String.raw`curl '${URL_}' \
  --compressed \
  -X PUT \
  -H 'User-Agent: ${UA_FIREFOX}' \
  -H 'Accept: */*' \
  -H 'Accept-Language: en-US,en;q=0.5' \
  -H 'Accept-Encoding: gzip, deflate, br, zstd' \
  -H 'Authorization: Bearer eyJhbGciOi.x.y' \
  -H 'Content-Type: application/json' \
  -H 'X-Request-Id: 7f3a' \
  -H 'Origin: https://myapp.com' \
  -H 'Alt-Used: api.example.com' \
  -H 'Connection: keep-alive' \
  -H 'Referer: https://myapp.com/' \
  -H 'Cookie: sid=abc123; theme=dark' \
  -H 'Sec-Fetch-Dest: empty' \
  -H 'Sec-Fetch-Mode: cors' \
  -H 'Sec-Fetch-Site: cross-site' \
  -H 'Priority: u=0' \
  -H 'TE: trailers' \
  --data-raw $'{"name":"it\'s ok","tags":["a","b"]}'`;

// Firefox "Copy as cURL (Windows)": curl.exe, every value in ^"…^", " as \^".
const FIREFOX_WIN = String.raw`curl.exe ^"${URL_}^" ^
  --compressed ^
  -X PUT ^
  -H ^"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0^" ^
  -H ^"Authorization: Bearer eyJhbGciOi.x.y^" ^
  -H ^"Content-Type: application/json^" ^
  -H ^"X-Request-Id: 7f3a^" ^
  -H ^"Origin: https://myapp.com^" ^
  -H ^"Cookie: sid=abc123; theme=dark^" ^
  -H ^"Sec-Fetch-Mode: cors^" ^
  --data-raw ^"^{\^"name\^":\^"it's ok\^",\^"tags\^":^[\^"a\^",\^"b\^"^]^}^"`;

// Safari 17 (Web Inspector generateCURLCommand): -XPUT glued, headers as recorded, --data-binary.
const SAFARI = String.raw`curl '${URL_}' \
-XPUT \
-H 'Content-Type: application/json' \
-H 'Accept: */*' \
-H 'Authorization: Bearer eyJhbGciOi.x.y' \
-H 'Sec-Fetch-Site: cross-site' \
-H 'Accept-Language: en-GB,en;q=0.9' \
-H 'Accept-Encoding: gzip, deflate, br' \
-H 'Sec-Fetch-Mode: cors' \
-H 'Origin: https://myapp.com' \
-H 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' \
-H 'Referer: https://myapp.com/' \
-H 'Content-Length: 36' \
-H 'Connection: keep-alive' \
-H 'Cookie: sid=abc123; theme=dark' \
-H 'Sec-Fetch-Dest: empty' \
-H 'X-Request-Id: 7f3a' \
--data-binary $'{"name":"it\'s ok","tags":["a","b"]}'`;

describe('--curl, every browser', () => {
  test('Chrome/Edge cmd (plain "…" around values)', () => assertPage(parseCurl(CHROME_CMD)));
  test('Firefox POSIX', () => assertPage(parseCurl(FIREFOX_POSIX)));
  test('Firefox Windows (curl.exe)', () => assertPage(parseCurl(FIREFOX_WIN)));
  test('Safari', () => assertPage(parseCurl(SAFARI)));

  test('older Chrome and Firefox cmd copies: one line, values in "…", a quote doubled ("")', () => {
    // Shape of a real Firefox 123 "Copy as cURL (Windows)" pasted in a project's source (2024).
    const r = parseCurl(
      `curl "${URL_}" --compressed -X PUT -H "User-Agent: ${UA_FIREFOX}" -H "Authorization: Bearer eyJhbGciOi.x.y" -H "Content-Type: application/json" -H "X-Request-Id: 7f3a" -H "Origin: https://myapp.com" -H "Cookie: sid=abc123; theme=dark" -H "TE: trailers" --data-raw "{""name"":""it's ok"",""tags"":[""a"",""b""]}"`,
    );
    assertPage(r);
  });

  test("older Chrome's `-H 'authority: …'` (HTTP/2) is not the script's header", () => {
    const r = parseCurl(String.raw`curl 'https://api.example.com/data' \
  -H 'authority: api.example.com' \
  -H 'accept: */*' \
  -H 'origin: https://myapp.com' \
  -H 'x-client-data: CIa2yQEIo7bJAQ==' \
  --compressed`);
    assert.deepEqual(r.headers, []);
  });

  test('Chrome and Safari escape [ ] { } in the URL for curl globbing; the page asked for the characters', () => {
    const r = parseCurl(
      String.raw`curl 'https://api.example.com/search?tags\[\]=a&q=\{x\}' -H 'origin: https://myapp.com'`,
    );
    assert.equal(r.url, 'https://api.example.com/search?tags[]=a&q={x}');
    // With --globoff (Firefox adds it for brackets, unescaped) the URL stays as written.
    assert.equal(parseCurl(`curl 'https://h.example/?a[0]=1' --globoff`).url, 'https://h.example/?a[0]=1');
  });

  test("ANSI-C quoting as Chrome (\\u0021), Firefox and Safari (\\041, \\x..) write '!'", () => {
    for (const q of [String.raw`$'x: a\u0021b'`, String.raw`$'x: a\041b'`, String.raw`$'x: a\x21b'`])
      assert.deepEqual(parseCurl(`curl https://h.example/ -H ${q}`).headers, [['x', 'a!b']]);
  });
});

// Firefox 128 "Copy as Fetch": `await fetch`, 4-space JSON, credentials first, browser headers kept.
const FIREFOX_FETCH = `await fetch("${URL_}", {
    "credentials": "include",
    "headers": {
        "User-Agent": "${UA_FIREFOX}",
        "Accept": "*/*",
        "Accept-Language": "en-US,en;q=0.5",
        "Authorization": "Bearer eyJhbGciOi.x.y",
        "Content-Type": "application/json",
        "X-Request-Id": "7f3a",
        "Alt-Used": "api.example.com",
        "Sec-Fetch-Dest": "empty",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "cross-site",
        "Priority": "u=0"
    },
    "referrer": "https://myapp.com/",
    "body": ${JSON.stringify(BODY)},
    "method": "PUT",
    "mode": "cors"
});`;

// Chrome 131 "Copy as fetch (Node.js)": cookie, Referer and Referrer-Policy moved into headers, no
// mode or credentials.
const CHROME_NODE_FETCH = `fetch("${URL_}", {
  "headers": {
    "accept": "*/*",
    "accept-language": "en-US,en;q=0.9",
    "authorization": "Bearer eyJhbGciOi.x.y",
    "content-type": "application/json",
    "priority": "u=1, i",
    "sec-ch-ua": "\\"Microsoft Edge\\";v=\\"131\\", \\"Chromium\\";v=\\"131\\"",
    "sec-fetch-mode": "cors",
    "x-request-id": "7f3a",
    "cookie": "sid=abc123; theme=dark",
    "Referer": "https://myapp.com/",
    "Referrer-Policy": "strict-origin-when-cross-origin"
  },
  "body": ${JSON.stringify(BODY)},
  "method": "PUT"
});`;

describe('--fetch, every browser', () => {
  test('Firefox copy: credentials, referrer, browser headers dropped', () => {
    const r = parseFetch(FIREFOX_FETCH);
    assertPage(r, { cookie: false });
    assert.equal(r.credentials, 'include');
    assert.equal(r.mode, 'cors');
  });

  test("Chrome/Edge Node.js copy: Referrer-Policy inside headers is DevTools', not the page's", () => {
    const r = parseFetch(CHROME_NODE_FETCH);
    assertPage(r);
    assert.ok(!r.headers.some(([n]) => n.toLowerCase() === 'referrer-policy'));
  });

  test('Chrome copy of a GET: "body": null, credentials "omit"', () => {
    const r = parseFetch(`fetch("https://api.example.com/data", {
  "headers": {
    "accept": "*/*",
    "sec-fetch-mode": "cors"
  },
  "referrer": "https://myapp.com/",
  "referrerPolicy": "strict-origin-when-cross-origin",
  "body": null,
  "method": "GET",
  "mode": "cors",
  "credentials": "omit"
});`);
    assert.equal(r.method, 'GET');
    assert.deepEqual(r.headers, []);
    assert.equal(r.body, undefined);
    assert.equal(r.credentials, 'omit');
    assert.deepEqual(r.notes, []);
  });

  test('credentials "include" next to Authorization may be DevTools\' guess: a note says how to override', () => {
    const r = parseFetch(FIREFOX_FETCH);
    assert.ok(r.notes.some((n) => /Authorization header.*--credentials same-origin/.test(n)));
  });
});

describe('check --powershell, end to end on a loopback server', () => {
  test("the preflight announces the page's own headers, the PUT carries them and the cookies", async () => {
    const seen: { method?: string; headers: http.IncomingHttpHeaders }[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ method: req.method, headers: req.headers });
      req.resume();
      res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': 'https://myapp.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'PUT',
        'access-control-allow-headers': 'authorization, content-type, x-request-id',
        vary: 'Origin',
      });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const text = CHROME_PS.replace(URL_, `http://127.0.0.1:${port}/v1/items/42`);
      const out = { text: '', err: '' };
      const code = await run(['--powershell', text, '--json', '--timeout', '5s'], {
        color: false,
        stdin: process.stdin,
        stdout: (s: string) => (out.text += s),
        stderr: (s: string) => (out.err += s),
      } as unknown as CommandContext);
      const doc = JSON.parse(out.text) as { browser: { allowed: boolean; preflight: boolean } };
      assert.equal(doc.browser.preflight, true);
      assert.equal(doc.browser.allowed, true, out.err);
      assert.equal(code, 0, out.err);
      const preflight = seen.find((s) => s.method === 'OPTIONS');
      assert.equal(preflight?.headers['access-control-request-method'], 'PUT');
      assert.equal(
        preflight?.headers['access-control-request-headers'],
        'authorization,content-type,x-request-id',
      );
      assert.equal(preflight?.headers.origin, 'https://myapp.com');
      const put = seen.find((s) => s.method === 'PUT');
      assert.equal(put?.headers.cookie, 'sid=abc123; theme=dark');
      assert.equal(put?.headers['x-request-id'], '7f3a');
      assert.equal(put?.headers.authority, undefined);
    } finally {
      server.close();
    }
  });

  test('errors name the flag; two paste flags are refused', async () => {
    const usage = async (argv: string[]) => {
      try {
        await parseCheckArgs(argv);
      } catch (err) {
        assert.ok(err instanceof UsageError);
        return err.message;
      }
      assert.fail('no error');
    };
    assert.match(await usage(['--powershell', 'Write-Host 1']), /^unreadable --powershell: /);
    assert.match(
      await usage(['--curl', 'curl https://h.example/', '--powershell', 'iwr https://h.example/']),
      /give one of --curl, --powershell, not several/,
    );
  });
});

describe('the ui form routes each paste to its flag', () => {
  test('curl, fetch and PowerShell copies', async () => {
    const { formToArgv } = await import('../../src/ui/server.ts');
    assert.equal(formToArgv({ paste: FIREFOX_WIN })[0], '--curl');
    assert.equal(formToArgv({ paste: FIREFOX_FETCH })[0], '--fetch');
    assert.equal(formToArgv({ paste: CHROME_PS })[0], '--powershell');
    assert.equal(formToArgv({ paste: FIREFOX_PS })[0], '--powershell');
    assert.equal(formToArgv({ paste: CHROME_PS_SHORT })[0], '--powershell');
  });
});
