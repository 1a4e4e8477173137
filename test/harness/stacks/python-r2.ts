/**
 * Starts round 2's Python apps (./flask-r2.py, ./django-r2.py) with Debian's /usr/bin/python3, one
 * server per variant for the whole run (./shared-server.ts).
 */
import type { RunningApp } from '../apps/common.ts';
import { spawnPython } from './python.ts';
import { sharedServer } from './shared-server.ts';

function python(script: 'flask-r2.py' | 'django-r2.py', variant: string): () => Promise<RunningApp> {
  return sharedServer(`python-r2:${script}:${variant}`, () => spawnPython(script, variant));
}

export const flaskR2 = (variant: string) => python('flask-r2.py', variant);
export const djangoR2 = (variant: string) => python('django-r2.py', variant);
