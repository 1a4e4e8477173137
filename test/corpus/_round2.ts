/** Shared request shapes of the round-2 corpus files (round2-*.ts); `_` keeps the runner from loading it. */
import type { PageRequest } from '../../src/browser/types.ts';

import { JSON_PUT, WITH_COOKIE } from './case.ts';

export { JSON_PUT, WITH_COOKIE };
export const COOKIE_PUT = { request: { ...JSON_PUT, credentials: 'include' as const }, cookie: 'session=ok' };
export const AUTH_PUT = {
  request: {
    method: 'PUT',
    headers: [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer t0k3n'],
    ] as [string, string][],
    credentials: 'include' as const,
  },
  cookie: 'session=ok',
};
/** A bearer token from JavaScript, no cookies. */
export const BEARER_ANON: Partial<PageRequest> = {
  method: 'GET',
  headers: [['Authorization', 'Bearer t0k3n']],
  credentials: 'omit',
};
export const BEARER_COOKIE: Partial<PageRequest> = {
  method: 'GET',
  headers: [['Authorization', 'Bearer t0k3n']],
  credentials: 'include',
};
export const ANON = { request: { credentials: 'omit' as const } };
