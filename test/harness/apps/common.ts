/**
 * Shared bits of the framework apps: the page origin they are configured for, the API's routes, and a
 * loopback listener that closes cleanly (keep-alive sockets included).
 */
import type { Server } from 'node:http';

/**
 * The front end the apps are configured for (never contacted: only sent as the Origin header). The
 * real-browser agreement test serves a page on loopback and sets this to that page's origin before
 * loading the apps, so Chromium itself can make the page's request.
 */
export const APP = process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] ?? 'https://app.myshop.test';
export const ADMIN = 'https://admin.myshop.test';

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  base: string;
  close(): Promise<void>;
}

export function listen(server: Server): Promise<RunningApp> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') return reject(new Error('no address'));
      resolve({
        base: `http://127.0.0.1:${addr.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The API's one resource: JSON plus a custom header the page may want to read. */
export const BODY = JSON.stringify({ items: [1, 2, 3] });
export const REQUEST_ID = 'req-7f3a';

/** Cookie-or-bearer authentication as the apps check it. */
export function authenticated(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): boolean {
  return (
    (headers.authorization ?? '').startsWith('Bearer ') || /(^|;\s*)session=ok\b/.test(headers.cookie ?? '')
  );
}
