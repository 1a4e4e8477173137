/**
 * The regression the contract exists for: the API's CORS is right, then a proxy layer starts adding the
 * headers too. The same contract passes against the app (node:http, allow-list CORS) and fails through
 * Debian's nginx whose `add_header Access-Control-Allow-Origin … always` doubles the app's header; the
 * browser refuses both values (mistake 5). Sources: https://httpfixer.dev/blog/cors/fix-cors-reverse-proxy
 * ("Adding them at both causes duplicate headers"), https://serverdevworker.com/3668d01d5 (nginx passes the
 * upstream's headers through and adds its own).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run } from '../../src/cli/commands/test.ts';
import type { CommandContext } from '../../src/cli/context.ts';
import { ADMIN, APP, type RunningApp } from '../harness/apps/common.ts';
import { nginxMissing, startNginx } from '../harness/nginx.ts';
import { startUpstream } from '../harness/stacks/proxy-upstream.ts';

let dir: string;
let app: RunningApp;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cors-doctor-proxy-'));
  app = await startUpstream({ cors: 'allow-list' });
});
after(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

async function contractRun(base: string): Promise<{
  code: number;
  json: {
    endpoints: { cases: { title: string; passed: boolean; ruleId?: string; consoleLine?: string }[] }[];
  };
}> {
  const file = join(dir, `${new URL(base).port}.yaml`);
  await writeFile(
    file,
    `version: 1\nbase: ${base}\ndefaults:\n  credentials: include\n  cookie: session=ok\nendpoints:\n  - name: data\n    url: /api/data\n    allow: [${APP}, ${ADMIN}]\n    deny: [https://evil.example, "null"]\n    expose: [X-Request-Id]\n  - name: update\n    url: /api/data\n    method: PUT\n    headers: { Content-Type: application/json }\n    data: '{"qty":1}'\n    allow: [${APP}]\n`,
  );
  let out = '';
  const ctx: CommandContext = {
    color: false,
    stdin: process.stdin,
    stdout: (s) => void (out += s),
    stderr() {},
  };
  // One check at a time: each check sends ~20 requests at once, and the harness's nginx has
  // worker_connections 64, which counts the upstream connections too (8 checks overflow it).
  const code = await run([file, '--json', '--concurrency', '1'], ctx);
  return { code, json: JSON.parse(out) };
}

test('the contract passes against the app, and fails once nginx adds the CORS headers too', {
  skip: nginxMissing(),
}, async () => {
  const direct = await contractRun(app.base);
  assert.equal(direct.code, 0, JSON.stringify(direct.json));

  const map = `map $http_origin $cors_origin { default ""; "${APP}" $http_origin; "${ADMIN}" $http_origin; }`;
  const nginx = await startNginx(
    `location /api/ {\n    add_header Access-Control-Allow-Origin $cors_origin always;\n    add_header Access-Control-Allow-Credentials true always;\n    proxy_pass ${app.base};\n  }`,
    map,
  );
  try {
    const proxied = await contractRun(nginx.base);
    assert.equal(proxied.code, 1);
    const allow = proxied.json.endpoints[0]!.cases.find((c) => c.title === `allows ${APP}`)!;
    assert.equal(allow.passed, false);
    assert.equal(allow.ruleId, 'duplicate-cors-headers');
    assert.match(allow.consoleLine ?? '', /contains multiple values/);
    // the refused origins stay refused: nginx's map gives them an empty value, the app none
    for (const c of proxied.json.endpoints[0]!.cases.filter((x) => x.title.startsWith('refuses')))
      assert.equal(c.passed, true, c.title);
  } finally {
    await nginx.stop();
  }
});
