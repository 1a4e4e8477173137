/**
 * Starts Debian's nginx (/usr/sbin/nginx) for one test: its own configuration, pid file, logs and temp
 * folders in a fresh temp directory, listening on a high port on 127.0.0.1 only, in the foreground
 * (`daemon off`) so it is this process's child; `stop()` ends it and removes the folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, freePort } from './process.ts';

export const NGINX = '/usr/sbin/nginx';

export function nginxMissing(): string | undefined {
  return existsSync(NGINX) ? undefined : `${NGINX} not found (Debian package nginx-light)`;
}

export interface RunningNginx {
  base: string;
  stop(): Promise<void>;
}

/**
 * `serverBody` is the inside of the `server { }` block (after `listen`); `httpExtra` goes in `http { }`
 * (maps, upstreams).
 */
export async function startNginx(serverBody: string, httpExtra = ''): Promise<RunningNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'cors-doctor-nginx-'));
  const port = await freePort();
  const conf = `
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${httpExtra}
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    ${serverBody}
  }
}
`;
  const confPath = join(dir, 'nginx.conf');
  await writeFile(confPath, conf);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', confPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (exited) break;
    if (await canConnect(port)) return { base: `http://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  await stop();
  throw new Error(`nginx did not start on 127.0.0.1:${port}: ${stderr}${log}`);
}
