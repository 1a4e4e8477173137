/**
 * The smallest real server of each runnable stack, with the mistake (no CORS configured, or for the
 * proxies an app behind them that sends its own `Access-Control-Allow-Origin: *`), and the same server
 * with a generated fix pasted where its `where` says. Every app has one route, GET/PUT /data, behind a
 * token check that answers 401 without Authorization (so error responses are part of the proof), and
 * sends X-Request-ID. Each starts on 127.0.0.1 through test/harness/process.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackName } from '../../../src/fix/index.ts';
import type { RunningApp } from '../../harness/apps/common.ts';
import { startNginx } from '../../harness/nginx.ts';
import { startProcess, tempDir } from '../../harness/process.ts';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const PY = '/usr/bin/python3';

/** Starts the stack's app on `port`; `fix` is the generated code, or undefined for the mistake. */
export type AppStarter = (port: number, fix: string | undefined) => Promise<RunningApp>;

/** A folder inside the repository, so `node` resolves the project's node_modules (and cors-doctor itself). */
async function workDir(name: string): Promise<string> {
  const dir = join(root, '.tmp', `fix-${process.pid}`, `${name}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function nodeApp(name: string, port: number, source: string): Promise<RunningApp> {
  const dir = await workDir(name);
  const file = join(dir, 'app.mjs');
  await writeFile(file, source);
  return startProcess(process.execPath, [file], {
    port,
    cwd: root,
    dir,
    env: { ...process.env, PORT: String(port) },
  });
}

const listen = 'const PORT = Number(process.env.PORT);';

const NODE_APPS: Partial<Record<StackName, (fix: string | undefined) => string>> = {
  express: (fix) => `import express from 'express';
${listen}
const app = express();
${fix ?? ''}
app.use((req, res, next) => (req.headers.authorization ? next() : res.status(401).json({ error: 'login' })));
app.get('/data', (req, res) => res.set('X-Request-ID', 'r1').json({ ok: true }));
app.put('/data', (req, res) => res.set('X-Request-ID', 'r1').json({ ok: true }));
app.listen(PORT, '127.0.0.1');`,
  fastify: (fix) => `import Fastify from 'fastify';
${listen}
const app = Fastify();
${fix ?? ''}
app.addHook('onRequest', async (request, reply) => {
  if (!request.headers.authorization) return reply.code(401).send({ error: 'login' });
});
app.route({ method: ['GET', 'PUT'], url: '/data', handler: async (request, reply) => {
  reply.header('X-Request-ID', 'r1');
  return { ok: true };
} });
await app.listen({ port: PORT, host: '127.0.0.1' });`,
  koa: (fix) => `import Koa from 'koa';
${listen}
const app = new Koa();
${fix ?? ''}
app.use(async (ctx, next) => {
  if (!ctx.get('Authorization')) ctx.throw(401, 'login');
  await next();
});
app.use(async (ctx) => {
  if (ctx.path === '/data' && ['GET', 'PUT'].includes(ctx.method)) {
    ctx.set('X-Request-ID', 'r1');
    ctx.body = { ok: true };
  }
});
app.listen(PORT, '127.0.0.1');`,
  hono: (fix) => `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
${listen}
const app = new Hono();
${fix ?? ''}
app.use('*', async (c, next) => {
  if (!c.req.header('Authorization')) return c.json({ error: 'login' }, 401);
  await next();
});
app.on(['GET', 'PUT'], '/data', (c) => {
  c.header('X-Request-ID', 'r1');
  return c.json({ ok: true });
});
serve({ fetch: app.fetch, port: PORT, hostname: '127.0.0.1' });`,
  node: (fix) => `import http from 'node:http';
${listen}
${fix ?? ''}
http.createServer((req, res) => {
  ${fix ? 'if (applyCors(req, res)) return;' : ''}
  if (!req.headers.authorization) return res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"login"}');
  if (req.url === '/data' && ['GET', 'PUT'].includes(req.method)) {
    req.resume();
    return res.writeHead(200, { 'Content-Type': 'application/json', 'X-Request-ID': 'r1' }).end('{"ok":true}');
  }
  res.writeHead(404).end();
}).listen(PORT, '127.0.0.1');`,
};
// cors-doctor's own middleware, in an Express app, imported by its published name (package self-reference).
NODE_APPS['cors-doctor'] = NODE_APPS.express;

const FLASK = (fix: string | undefined) => `import os
from flask import Flask, jsonify, request

app = Flask(__name__)
${fix ?? ''}

@app.before_request
def require_token():
    if not request.headers.get("Authorization"):
        return jsonify(error="login"), 401

@app.route("/data", methods=["GET", "PUT"])
def data():
    response = jsonify(ok=True)
    response.headers["X-Request-ID"] = "r1"
    return response

app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
`;

const DJANGO_SETTINGS = `SECRET_KEY = "test-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "tokens.require_token"]
`;
const DJANGO_FILES = {
  'tokens.py': `from django.http import JsonResponse

def require_token(get_response):
    def middleware(request):
        if not request.headers.get("Authorization"):
            return JsonResponse({"error": "login"}, status=401)
        return get_response(request)
    return middleware
`,
  'urls.py': `from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path

def data(request):
    if request.method not in ("GET", "PUT"):
        return HttpResponseNotAllowed(["GET", "PUT"])
    response = JsonResponse({"ok": True})
    response["X-Request-ID"] = "r1"
    return response

urlpatterns = [path("data", data)]
`,
};

const RACK = (fix: string | undefined) => `require "json"
${fix ? `require "rack/cors"\n${fix.replace('Rails.application.config.middleware.insert_before 0, Rack::Cors do', 'use Rack::Cors do')}` : ''}

class RequireToken
  def initialize(app) = @app = app
  def call(env)
    return [401, { "content-type" => "application/json" }, ['{"error":"login"}']] unless env["HTTP_AUTHORIZATION"]
    @app.call(env)
  end
end
use RequireToken
run lambda { |env|
  if env["PATH_INFO"] == "/data" && %w[GET PUT].include?(env["REQUEST_METHOD"])
    [200, { "content-type" => "application/json", "x-request-id" => "r1" }, ['{"ok":true}']]
  else
    [404, { "content-type" => "text/plain" }, ["not found"]]
  end
}
`;

const PHP = (fix: string | undefined) => `<?php
${fix ? fix.replace(/^<\?php\n/, '') : ''}
if (empty($_SERVER['HTTP_AUTHORIZATION'])) {
    http_response_code(401);
    header('Content-Type: application/json');
    echo '{"error":"login"}';
    exit;
}
if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/data' && in_array($_SERVER['REQUEST_METHOD'], ['GET', 'PUT'], true)) {
    header('X-Request-ID: r1');
    header('Content-Type: application/json');
    echo '{"ok":true}';
    exit;
}
http_response_code(404);
`;

const GO = (fix: string | undefined) => `package main

import (
	"net/http"
	"os"
)

${fix ?? ''}

func requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(\`{"error":"login"}\`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/data", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodPut {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Request-ID", "r1")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(\`{"ok":true}\`))
	})
	var h http.Handler = requireToken(mux)
	${fix ? 'h = withCORS(h)' : ''}
	http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), h)
}
`;

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(t);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out}`));
    });
  });
}

export { run as runCommand };

/** The app behind a proxy: no answer to OPTIONS (404), its own `Access-Control-Allow-Origin: *` (a second layer). */
export async function startBackend(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (!req.headers.authorization)
      return res.writeHead(401, { ...cors, 'Content-Type': 'application/json' }).end('{"error":"login"}');
    if (req.url === '/data' && ['GET', 'PUT'].includes(req.method ?? ''))
      return res
        .writeHead(200, { ...cors, 'Content-Type': 'application/json', 'X-Request-ID': 'r1' })
        .end('{"ok":true}');
    res.writeHead(404, cors).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const upstream = (fix: string, backend: number) => fix.replaceAll('127.0.0.1:3000', `127.0.0.1:${backend}`);

const APACHE_MODULES = ['mpm_event', 'authz_core', 'headers', 'setenvif', 'rewrite', 'proxy', 'proxy_http'];

/** Starters for the stacks that need a backend (the proxies) take its port too. */
export function starters(backendPort: () => number): Partial<Record<StackName, AppStarter>> {
  const out: Partial<Record<StackName, AppStarter>> = {};
  for (const [stack, source] of Object.entries(NODE_APPS))
    out[stack as StackName] = (port, fix) => nodeApp(stack, port, source!(fix));

  out.flask = async (port, fix) => {
    const dir = await workDir('flask');
    await writeFile(join(dir, 'app.py'), FLASK(fix));
    return startProcess(PY, ['app.py'], { port, cwd: dir, dir, env: { ...process.env, PORT: String(port) } });
  };
  out.django = async (port, fix) => {
    const dir = await workDir('django');
    await writeFile(join(dir, 'settings.py'), `${DJANGO_SETTINGS}\n${fix ?? ''}\n`);
    for (const [name, text] of Object.entries(DJANGO_FILES)) await writeFile(join(dir, name), text);
    const env = { ...process.env, DJANGO_SETTINGS_MODULE: 'settings', PYTHONPATH: dir };
    return startProcess(PY, ['-m', 'django', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
      port,
      cwd: dir,
      dir,
      env,
    });
  };
  out.rails = async (port, fix) => {
    const dir = await workDir('rack');
    await writeFile(join(dir, 'config.ru'), RACK(fix));
    return startProcess(
      '/usr/bin/rackup',
      ['-s', 'webrick', '-o', '127.0.0.1', '-p', String(port), 'config.ru'],
      { port, cwd: dir, dir },
    );
  };
  out.php = async (port, fix) => {
    const dir = await workDir('php');
    await writeFile(join(dir, 'index.php'), PHP(fix));
    return startProcess('/usr/bin/php', ['-S', `127.0.0.1:${port}`, 'index.php'], { port, cwd: dir, dir });
  };
  const goStarter: AppStarter = async (port, fix) => {
    const dir = await workDir('go');
    await writeFile(join(dir, 'main.go'), GO(fix));
    const cache = join(root, '.tmp', 'gocache');
    const env = {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: '/usr/share/gocode',
      GOCACHE: cache,
      GOFLAGS: '',
    };
    await run('/usr/bin/go', ['build', '-o', 'app', 'main.go'], { cwd: dir, env, timeoutMs: 180_000 });
    return startProcess(join(dir, 'app'), [], {
      port,
      cwd: dir,
      dir,
      env: { ...process.env, PORT: String(port) },
    });
  };
  out.go = goStarter;
  out['go-http'] = goStarter;

  out.nginx = async (_port, fix) => {
    const body = fix
      ? upstream(fix, backendPort())
      : `location / { proxy_pass http://127.0.0.1:${backendPort()}; }`;
    const cut = body.indexOf("# in the API's server { }");
    const nginx = await startNginx(cut < 0 ? body : body.slice(cut), cut < 0 ? '' : body.slice(0, cut));
    return { base: nginx.base, close: nginx.stop };
  };
  out.apache = async (port, fix) => {
    const dir = await tempDir('apache');
    const body = fix ? upstream(fix, backendPort()) : `ProxyPass "/" "http://127.0.0.1:${backendPort()}/"`;
    const conf = `ServerName localhost
ServerRoot ${dir}
DefaultRuntimeDir ${dir}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
Mutex file:${dir} default
Listen 127.0.0.1:${port}
${APACHE_MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
User www-data
Group www-data
<VirtualHost 127.0.0.1:${port}>
${body}
</VirtualHost>
`;
    await writeFile(join(dir, 'httpd.conf'), conf);
    return startProcess('/usr/sbin/apache2', ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
      port,
      dir,
      env: { ...process.env, APACHE_RUN_DIR: dir },
    });
  };
  out.caddy = async (port, fix) => {
    const dir = await tempDir('caddy');
    const site = fix
      ? upstream(fix, backendPort())
      : `http://127.0.0.1:${port} {\n\treverse_proxy 127.0.0.1:${backendPort()}\n}`;
    await writeFile(join(dir, 'Caddyfile'), `{\n\tadmin off\n\tauto_https off\n}\n${site}\n`);
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
    return startProcess(
      '/usr/bin/caddy',
      ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'],
      { port, dir, env },
    );
  };
  out.haproxy = async (port, fix) => {
    const dir = await tempDir('haproxy');
    const body = fix
      ? upstream(fix, backendPort()).replace('bind :80', `bind 127.0.0.1:${port}`)
      : `frontend api\n    bind 127.0.0.1:${port}\n    default_backend app\n\nbackend app\n    server app1 127.0.0.1:${backendPort()}`;
    const cfg = `global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 10s\n    timeout server 10s\n\n${body}\n`;
    await writeFile(join(dir, 'haproxy.cfg'), cfg);
    return startProcess('/usr/sbin/haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { port, dir });
  };
  return out;
}

/** Why a stack cannot run on this machine, or undefined when it can. */
export function missing(stack: StackName): string | undefined {
  const need: Partial<Record<StackName, string>> = {
    flask: '/usr/lib/python3/dist-packages/flask_cors',
    django: '/usr/lib/python3/dist-packages/corsheaders',
    rails: '/usr/bin/rackup',
    php: '/usr/bin/php',
    go: '/usr/share/gocode/src/github.com/rs/cors',
    'go-http': '/usr/bin/go',
    nginx: '/usr/sbin/nginx',
    apache: '/usr/sbin/apache2',
    caddy: '/usr/bin/caddy',
    haproxy: '/usr/sbin/haproxy',
    'cors-doctor': join(root, 'dist/src/middleware/adapters/node.js'),
  };
  const path = need[stack];
  return path && !existsSync(path)
    ? `${path} not found (cors-doctor ${stack === 'cors-doctor' ? 'is not built: npm run build' : 'needs its Debian package'})`
    : undefined;
}
