/**
 * What the demo checks: for each endpoint family of the demo API, the request a page on APP makes that
 * shows the mistake, and the finding id the check should come back with (null: nothing to find).
 */
import type { HeaderLine, PageRequest } from '../browser/types.ts';
import type { FindingId } from '../catalog/ids.ts';
import type { CheckInput } from '../diagnosis/types.ts';
import { APP } from './api.ts';

export interface DemoCase {
  family: string;
  mistake: number | null;
  /** What is wrong on the server, in a few words. */
  title: string;
  method: string;
  headers: HeaderLine[];
  credentials: PageRequest['credentials'];
  expose?: string[];
  /** Check with `--page <api>/page.html` (mistake 10). */
  page?: boolean;
  /** The finding the check must report; null for the correct endpoint (no error/security/warning). */
  expect: FindingId | null;
}

const JSON_BODY: HeaderLine = ['Content-Type', 'application/json'];

export const DEMO_CASES: DemoCase[] = [
  {
    family: 'no-cors',
    mistake: 1,
    title: 'CORS never configured',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    expect: 'missing-allow-origin',
  },
  {
    family: 'wildcard',
    mistake: 2,
    title: "'*' with credentials",
    method: 'GET',
    headers: [],
    credentials: 'include',
    expect: 'wildcard-with-credentials',
  },
  {
    family: 'no-preflight',
    mistake: 3,
    title: 'OPTIONS not handled (404)',
    method: 'PUT',
    headers: [JSON_BODY],
    credentials: 'same-origin',
    expect: 'preflight-failed-status',
  },
  {
    family: 'auth-first',
    mistake: 4,
    title: 'auth runs before CORS (401 without headers)',
    method: 'GET',
    headers: [['Authorization', 'Bearer demo-token']],
    credentials: 'same-origin',
    expect: 'headers-missing-on-errors',
  },
  {
    family: 'duplicate',
    mistake: 5,
    title: 'app and proxy both add Allow-Origin',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    expect: 'duplicate-cors-headers',
  },
  {
    family: 'no-vary',
    mistake: 6,
    title: 'origin reflected without Vary: Origin',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    expect: 'missing-vary-origin',
  },
  {
    family: 'typo',
    mistake: 7,
    title: 'allow-list holds www. by mistake',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    expect: 'origin-mismatch',
  },
  {
    family: 'localhost',
    mistake: 8,
    title: 'localhost left in the production list',
    method: 'GET',
    headers: [],
    credentials: 'include',
    expect: 'localhost-allowed',
  },
  {
    family: 'expose',
    mistake: 9,
    title: 'X-Request-ID sent but not exposed',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    expose: ['X-Request-ID'],
    expect: 'header-not-exposed',
  },
  {
    family: 'ok',
    mistake: 10,
    title: "the page's CSP forbids the API",
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    page: true,
    expect: 'csp-blocks-request',
  },
  {
    family: 'ok',
    mistake: 12,
    title: 'the page sends Access-Control-Allow-Origin itself',
    method: 'GET',
    headers: [['Access-Control-Allow-Origin', '*']],
    credentials: 'same-origin',
    expect: 'cors-headers-in-request',
  },
  {
    family: 'reflect',
    mistake: null,
    title: 'any origin reflected, with credentials',
    method: 'GET',
    headers: [],
    credentials: 'include',
    expect: 'origin-reflected',
  },
  {
    family: 'null-origin',
    mistake: null,
    title: "'null' allowed, with credentials",
    method: 'GET',
    headers: [],
    credentials: 'include',
    expect: 'null-origin-allowed',
  },
  {
    family: 'ok',
    mistake: null,
    title: 'correct configuration',
    method: 'PUT',
    headers: [JSON_BODY, ['Authorization', 'Bearer demo-token']],
    credentials: 'include',
    expose: ['X-Request-ID'],
    expect: null,
  },
];

export function caseInput(c: DemoCase, api: string): { input: CheckInput; pageUrl?: string } {
  const input: CheckInput = {
    request: {
      url: `${api}/${c.family}/data`,
      origin: APP,
      method: c.method,
      headers: c.headers,
      credentials: c.credentials,
      mode: 'cors',
    },
    expose: c.expose ?? [],
  };
  return c.page ? { input, pageUrl: `${api}/page.html` } : { input };
}

/** The same check as a command line, for the user to run against `demo --serve`. */
export function caseCommand(c: DemoCase, api: string): string {
  const { input, pageUrl } = caseInput(c, api);
  const r = input.request;
  const parts = ['cors-doctor check', r.url, '--origin', r.origin];
  if (r.method !== 'GET') parts.push('--method', r.method);
  for (const [n, v] of r.headers) parts.push('-H', `"${n}: ${v}"`);
  if (r.credentials !== 'same-origin') parts.push('--credentials', r.credentials);
  for (const e of input.expose) parts.push('--expose', e);
  if (pageUrl) parts.push('--page', pageUrl);
  return parts.join(' ');
}
