/**
 * Starts the corpus's Python apps (test/harness/stacks/python/*.py) with Debian's /usr/bin/python3,
 * where Debian's Flask, flask-cors, Django and django-cors-headers live (the pyenv python3 on PATH has
 * none of them). One server per variant per run: the first case starts it, later cases reuse it, and
 * the servers stop when the test file ends. `close()` of a shared server is therefore a no-op.
 */
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADMIN, APP, BODY, REQUEST_ID, type RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';

export const PYTHON = '/usr/bin/python3';

const here = fileURLToPath(new URL('./python/', import.meta.url));

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

const running = new Map<string, Promise<RunningApp>>();

after(async () => {
  const apps = await Promise.all([...running.values()].map((p) => p.catch(() => undefined)));
  running.clear();
  await Promise.all(apps.map((a) => a?.close()));
});

/** Starts `<script>` with CORS_VARIANT=variant, or reuses the one already running. */
export function startPython(script: 'flask_app.py' | 'django_app.py', variant: string): Promise<RunningApp> {
  const key = `${script}:${variant}`;
  let app = running.get(key);
  if (app === undefined) {
    app = spawnPython(script, variant);
    running.set(key, app);
    // A failed start is not cached: the next case gets the error (and the output) again.
    app.catch(() => running.delete(key));
  }
  return app.then((a) => ({ base: a.base, close: async () => {} }));
}

async function spawnPython(script: string, variant: string): Promise<RunningApp> {
  const port = await freePort();
  return startProcess(PYTHON, ['-B', `${here}${script}`], {
    port,
    cwd: here,
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

export const flask = (variant: string) => () => startPython('flask_app.py', variant);
export const django = (variant: string) => () => startPython('django_app.py', variant);
