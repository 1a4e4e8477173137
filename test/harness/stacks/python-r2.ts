/**
 * Starts round 2's Python apps (./flask-r2.py, ./django-r2.py) with Debian's /usr/bin/python3, one
 * server per variant for the whole run (the shared-server helper of the Go harness).
 */
import { fileURLToPath } from 'node:url';
import { ADMIN, APP, BODY, REQUEST_ID, type RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { sharedServer } from './go.ts';
import { PYTHON } from './python.ts';

const here = fileURLToPath(new URL('./', import.meta.url));

function python(script: 'flask-r2.py' | 'django-r2.py', variant: string): () => Promise<RunningApp> {
  return sharedServer(`python-r2:${script}:${variant}`, async () => {
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
  });
}

export const flaskR2 = (variant: string) => python('flask-r2.py', variant);
export const djangoR2 = (variant: string) => python('django-r2.py', variant);
