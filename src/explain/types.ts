/** `explain`'s data: what a pasted console message says, and what it points to (DESIGN.md "explain contract"). */
import type { FindingId, MistakeNumber } from '../catalog/ids.ts';

export type BrowserName = 'chrome' | 'firefox' | 'safari';

/**
 * What went wrong, independent of the browser's wording. Each browser message maps to one problem; the
 * causes are worked out from the problem and the values.
 */
export type Problem =
  | 'allow-origin-missing'
  | 'allow-origin-wildcard-credentials'
  | 'allow-origin-multiple'
  | 'allow-origin-invalid'
  | 'allow-origin-mismatch'
  /** WebKit's one line for "missing or different". */
  | 'allow-origin-not-allowed'
  | 'allow-credentials-invalid'
  | 'preflight-status'
  | 'preflight-redirect'
  | 'allow-methods-invalid'
  | 'allow-headers-invalid'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'redirect-credentials'
  | 'redirect-scheme'
  | 'mode-same-origin'
  | 'scheme-not-supported'
  | 'no-cors-redirect'
  | 'origin-header-not-added'
  | 'cors-disabled'
  | 'local-network'
  | 'network'
  | 'csp'
  | 'mixed-content'
  | 'unsafe-header'
  /** WebKit's `… due to access control checks.` line without its reason line. */
  | 'access-control-checks'
  /** A CORS message whose reason cors-doctor does not know. */
  | 'unknown';

export type Likelihood = 'likely' | 'possible' | 'unlikely';

export interface Cause {
  id: FindingId;
  mistake: MistakeNumber | null;
  title: string;
  likelihood: Likelihood;
  /** This case in one sentence (with the message's values). */
  cause: string;
  /** The catalog's fix summary. */
  fix: string;
  /** The catalog page, relative to the package root. */
  docs: string;
}

/** Values a message carries; only those present are set. */
export interface MessageValues {
  /** The URL whose response failed (Chromium: the last one of a redirect chain). */
  url?: string;
  /** The URL the page asked for, when the message says `(redirected from '…')`. */
  initialUrl?: string;
  /** Safari: the redirect target it refused to follow (`Cross-origin redirection to … denied`). */
  redirectedTo?: string;
  origin?: string;
  /** Request header name the browser refused or complained about. */
  header?: string;
  method?: string;
  /** A response header value the browser quoted (Allow-Origin, Allow-Credentials, Allow-Methods…). */
  value?: string;
  /** HTTP status of the failing response, when the message (or its network line) tells it. */
  status?: number;
  /** Chromium's resource kind: `fetch`, `XMLHttpRequest`, `script`, `font`… */
  kind?: string;
  /** CSP directive quoted by a CSP violation. */
  directive?: string;
  /** Address space named by a Local/Private Network Access message. */
  addressSpace?: string;
  /** Chromium net error, e.g. `net::ERR_CONNECTION_REFUSED`. */
  netError?: string;
  /** The page URL named by a mixed-content message. */
  pageUrl?: string;
}

export interface ExplainedMessage {
  browser: BrowserName;
  /**
   * Chromium: the CorsError as the DevTools protocol spells it (`PreflightMissingAllowOriginHeader`).
   * Firefox: the `security.properties` key (`CORSMissingAllowOrigin2`). Safari: a short name of the
   * WebKit reason (`OriginNotAllowed`). Non-CORS lines: `CSPViolation`, `MixedContent`, `net::ERR_…`.
   */
  corsError: string;
  problem: Problem;
  /** true when the message is about the preflight, false when about the actual response, null unknown. */
  preflight: boolean | null;
  url: string | null;
  origin: string | null;
  values: MessageValues;
  /** The message as recognised (lines joined). */
  text: string;
  /** What the browser is saying, in plain words. */
  summary: string;
  /** Most likely first. Empty when the message is not caused by a server configuration. */
  causes: Cause[];
  /** How to tell the causes apart, when there are several. */
  tellApart: string | null;
  /** Anything else worth knowing about this message (what to do when no catalog cause applies). */
  note: string | null;
  /** The `cors-doctor check …` command that confirms the cause on the live server, or null. */
  check: string | null;
}

export interface ExplainResult {
  schemaVersion: 1;
  messages: ExplainedMessage[];
  /** Hints about lines that were not CORS messages (e.g. `TypeError: Failed to fetch` alone). */
  hints: string[];
}

export type ExplainOutcome =
  | { ok: true; result: ExplainResult }
  | { ok: false; problem: 'input-too-large'; message: string };
