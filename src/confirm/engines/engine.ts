/**
 * The contract every real-browser runner implements (Chromium, Firefox, WebKit), so one scenario table
 * drives all three engines and the model. Shipped code: `check --confirm` runs them; the test suite imports
 * them through test/harness/. A runner opens `pageUrl` (served by the scenario server on one
 * loopback origin), runs the call there with the page's own fetch()/XMLHttpRequest, and reports what the
 * script saw and what the console printed.
 */
import type { CredentialsMode, RedirectMode, RequestMode } from '../../browser/types.ts';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface PageCall {
  initiator: 'fetch' | 'xhr';
  url: string;
  method: string;
  headers: [string, string][];
  credentials: CredentialsMode;
  mode: RequestMode;
  redirect?: RedirectMode;
  body?: string;
  /** fetch()'s Local Network Access option (`public`, `local`, `loopback`); Chromium only. */
  targetAddressSpace?: 'public' | 'local' | 'loopback';
}

export interface EngineResult {
  /** fetch() resolved (XHR: load fired rather than error). */
  ok: boolean;
  status: number | null;
  /** Response.type as the script saw it (`cors`, `basic`, `opaque`), or null when rejected. */
  responseType: string | null;
  /** Lower-case header names the script could read, sorted. */
  readableHeaders: string[];
  /** The rejection as the script saw it, e.g. `TypeError: Failed to fetch`, or null. */
  jsError: string | null;
  /** CORS-related console lines in the order the engine printed them, verbatim. */
  consoleLines: string[];
  /** Chromium only (DevTools protocol Network.loadingFailed.corsErrorStatus). */
  corsErrorStatus?: { corsError: string; failedParameter: string } | null;
}

export interface Engine {
  name: EngineName;
  version: string;
  run(pageUrl: string, call: PageCall, timeoutMs?: number): Promise<EngineResult>;
  close(): Promise<void>;
}
