/**
 * Starts Debian's Apache httpd (/usr/sbin/apache2) for one test: its own httpd.conf, pid, logs and
 * document root in a fresh temp directory, one process in the foreground (-X) on a free 127.0.0.1 port.
 * `body` is the server configuration after the module lines; `files` are written under the document
 * root (e.g. `api/.htaccess`), `{{DOCROOT}}` in the body is replaced by its path.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess, tempDir } from '../process.ts';

export const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export function apacheMissing(): string | undefined {
  return existsSync(APACHE) ? undefined : `${APACHE} not found (Debian package apache2)`;
}

const mods = [
  'mpm_event',
  'authz_core',
  'headers',
  'setenvif',
  'rewrite',
  'proxy',
  'proxy_http',
  'alias',
  'mime',
  'dir',
  'filter',
  'deflate',
];

export async function startApache(body: string, files: Record<string, string> = {}): Promise<RunningApp> {
  const dir = await tempDir('apache');
  // As root Apache switches to User/Group for the request handling: they must read the doc root.
  await chmod(dir, 0o755);
  const docroot = join(dir, 'htdocs');
  await mkdir(docroot, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(docroot, name)), { recursive: true });
    await writeFile(join(docroot, name), text);
  }
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const conf = `
ServerRoot ${dir}
ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
ErrorLog ${dir}/error.log
LogLevel warn
${root ? 'User www-data\nGroup www-data' : ''}
${mods.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`).join('\n')}
TypesConfig /etc/mime.types
DocumentRoot ${docroot}
<Directory ${docroot}>
  Require all granted
  AllowOverride All
</Directory>
${body.replaceAll('{{DOCROOT}}', docroot)}
`;
  const confPath = join(dir, 'httpd.conf');
  await writeFile(confPath, conf);
  return startProcess(APACHE, ['-X', '-f', confPath], {
    port,
    dir,
    env: { ...process.env, APACHE_RUN_DIR: dir, APACHE_LOCK_DIR: dir, APACHE_LOG_DIR: dir },
    onFail: () => readFile(join(dir, 'error.log'), 'utf8'),
  });
}
