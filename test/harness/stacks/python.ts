/**
 * Starts the corpus's Python apps (test/harness/stacks/python/*.py) with Debian's /usr/bin/python3,
 * where Debian's Flask, flask-cors, Django and django-cors-headers live (the pyenv python3 on PATH has
 * none of them). One server per variant per run: the first case starts it, later cases reuse it, and
 * the servers stop when the test file ends. `close()` of a shared server is therefore a no-op.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, APP, BODY, REQUEST_ID, type RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { sharedServer } from './shared-server.ts';

export const PYTHON = '/usr/bin/python3';

const here = fileURLToPath(new URL('./', import.meta.url));

/** Why the stack cannot run here (interpreter or Debian package missing), or undefined. */
export function pythonMissing(module: 'flask' | 'django'): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (Debian package python3)`;
  const pkgs =
    module === 'flask'
      ? ['flask', 'flask_cors', 'python3-flask python3-flask-cors']
      : ['django', 'corsheaders', 'python3-django python3-django-cors-headers'];
  const dist = '/usr/lib/python3/dist-packages';
  const absent = pkgs.slice(0, 2).filter((m) => !existsSync(`${dist}/${m}`));
  return absent.length > 0 ? `${absent.join(', ')} not in ${dist} (Debian packages ${pkgs[2]})` : undefined;
}

/** Starts `<script>` (relative to this folder) with CORS_VARIANT=variant, in the script's folder. */
export async function spawnPython(script: string, variant: string): Promise<RunningApp> {
  const port = await freePort();
  return startProcess(PYTHON, ['-B', `${here}${script}`], {
    port,
    cwd: dirname(`${here}${script}`),
    env: {
      PATH: '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      CORS_VARIANT: variant,
      APP_ORIGIN: APP,
      ADMIN_ORIGIN: ADMIN,
      BODY,
      REQUEST_ID,
      PORT: String(port),
    },
    startTimeoutMs: 15_000,
  });
}

export const flask = (variant: string) =>
  sharedServer(`python:flask_app.py:${variant}`, () => spawnPython('python/flask_app.py', variant));
export const django = (variant: string) =>
  sharedServer(`python:django_app.py:${variant}`, () => spawnPython('python/django_app.py', variant));
