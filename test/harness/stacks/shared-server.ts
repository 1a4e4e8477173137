/**
 * One server per stack variant for the whole test file: the first case starts it, later cases reuse it
 * (the corpus runner closes after each case: that close is a no-op), and the real stop runs once all
 * tests are done. Used by the Go, Python, Ruby and PHP harnesses, whose servers take a second to start.
 */
import { after } from 'node:test';
import { ADMIN, APP, BODY, REQUEST_ID, type RunningApp } from '../apps/common.ts';

/** The environment every stack's server reads its page origins and resource from. */
export function stackEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, APP, ADMIN, BODY, REQUEST_ID, ...extra };
}

const servers = new Map<string, Promise<RunningApp>>();
after(async () => {
  const all = [...servers.values()];
  servers.clear();
  await Promise.all(all.map(async (s) => (await s.catch(() => undefined))?.close()));
});

export function sharedServer(key: string, start: () => Promise<RunningApp>): () => Promise<RunningApp> {
  return async () => {
    let s = servers.get(key);
    if (s === undefined) {
      s = start();
      servers.set(key, s);
      s.catch(() => servers.delete(key));
    }
    const app = await s;
    return { base: app.base, close: async () => {} };
  };
}
