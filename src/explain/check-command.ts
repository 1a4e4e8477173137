/**
 * The `cors-doctor check …` command that would confirm a message's cause on the live server (DESIGN.md
 * "check contract": `check <url> --origin <o> [--method M] [-H "Name: value"] [--credentials include]`).
 */
import type { MessageValues, Problem } from './types.ts';

/** Placeholder when the message does not name the page's origin (Firefox never does). */
export const ORIGIN_PLACEHOLDER = '<your-page-origin>';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell quoting: bare when safe, otherwise single quotes. */
export function shellQuote(s: string): string {
  if (s !== '' && SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const headerArg = (name: string) => {
  const value = name.toLowerCase() === 'authorization' ? 'Bearer x' : 'x';
  const text = `${name}: ${value}`;
  return /^[A-Za-z0-9!#$%&'*+.^_`|~: -]+$/.test(text) && !/[$`"\\!]/.test(text)
    ? `"${text}"`
    : shellQuote(text);
};

export interface CheckArgs {
  values: MessageValues;
  problem: Problem;
  credentials: boolean;
  /** Chromium's kind `XMLHttpRequest` → `--initiator xhr`. */
  initiatorXhr: boolean;
  /** Whose console wording the check should lead with (`--browser`). */
  browser: 'chrome' | 'firefox' | 'safari';
}

/** Problems a live check cannot confirm: decided in the page or the browser, not by the server's answer. */
const NOT_CHECKABLE = new Set<Problem>([
  'mixed-content',
  'scheme-not-supported',
  'mode-same-origin',
  'cors-disabled',
  'origin-header-not-added',
  'unsafe-header',
  'no-cors-redirect',
]);

export function checkCommand(a: CheckArgs): string | null {
  const url = a.values.initialUrl ?? a.values.url;
  if (!url || !/^https?:\/\//i.test(url) || NOT_CHECKABLE.has(a.problem)) return null;
  const parts = [
    'cors-doctor',
    'check',
    shellQuote(url),
    '--origin',
    shellQuote(a.values.origin ?? ORIGIN_PLACEHOLDER),
  ];
  const method = a.values.method;
  if (method && method.toUpperCase() !== 'GET') parts.push('--method', shellQuote(method));
  if (a.values.header) parts.push('-H', headerArg(a.values.header));
  if (a.credentials) parts.push('--credentials', 'include');
  if (a.initiatorXhr) parts.push('--initiator', 'xhr');
  if (a.browser !== 'chrome') parts.push('--browser', a.browser);
  if (a.problem === 'csp') parts.push('--page', shellQuote('<your-page-url>'));
  return parts.join(' ');
}
