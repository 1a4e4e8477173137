/**
 * `check --confirm`: the page's own request, run again by a real engine installed on this machine, from
 * the user's origin (an empty page answered by the engine's own request interception, so no server has to
 * serve that origin), and set next to the model's verdict in the report. A disagreement is a bug of the
 * model: it is printed with both sides and a command that reproduces it.
 *
 * The engine drivers load lazily (playwright-core and ws are optional peers: most users never confirm,
 * and neither downloads a browser); a missing driver or engine is a message naming what to install.
 */
import { existsSync } from 'node:fs';
import type { PageRequest } from '../browser/types.ts';
import type { CheckReport } from '../probe/check.ts';
import type { EngineName, EngineResult, PageCall } from './engines/engine.ts';

export type { EngineName };
export const CONFIRM_ENGINES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** Where the empty page lives on the user's origin: a path no real page is likely to use. */
export const CONFIRM_PATH = '/__cors-doctor-confirm__';

export interface EngineSide {
  allowed: boolean;
  corsError: string | null;
  failedParameter: string | null;
  consoleLines: string[];
  readableHeaders: string[];
  jsError: string | null;
  status: number | null;
}

export interface Confirmation {
  engine: EngineName;
  /** The engine ran the request (false: not installed or could not start; `unavailable` says why). */
  ran: boolean;
  unavailable?: string;
  version?: string;
  /** Launch included; `callMs` is the call alone. */
  ms: number;
  callMs?: number;
  engineSide?: EngineSide;
  modelSide?: EngineSide;
  /** Each observable on which model and engine differ, in words; empty when they agree. */
  differences: string[];
  agree: boolean | null;
}

export interface ConfirmOptions {
  engines: readonly EngineName[];
  /** The page's body (`--data`), sent by the page's fetch() as a string. */
  body?: string;
  /** Per-call budget, ms. */
  timeoutMs?: number;
  /** Replace the engine launchers (tests of the comparison only; everything else uses the real ones). */
  launch?: Partial<Record<EngineName, Launcher>>;
}

type Running = {
  version: string;
  run(url: string, call: PageCall, ms?: number): Promise<EngineResult>;
  close(): Promise<void>;
};
export type Launcher = (blankPages: string[]) => Promise<Running>;

/** What is missing for `engine`, as an instruction (null: ready to launch). */
export async function engineMissing(engine: EngineName): Promise<string | null> {
  const driver = engine === 'chromium' ? 'playwright-core' : engine === 'firefox' ? 'ws' : null;
  if (driver !== null) {
    try {
      await import(driver);
    } catch {
      return `the ${engine} driver needs the npm package ${driver}: npm install ${driver} (it downloads no browser)`;
    }
  }
  if (engine === 'chromium') {
    const { CHROMIUM_PATH } = await import('./engines/chromium.ts');
    if (!existsSync(CHROMIUM_PATH))
      return `no Chromium at ${CHROMIUM_PATH}: install it (Debian/Ubuntu: apt-get install chromium)`;
  } else if (engine === 'firefox') {
    const { FIREFOX_PATH } = await import('./engines/firefox.ts');
    if (!existsSync(FIREFOX_PATH))
      return `no Firefox at ${FIREFOX_PATH}: install it (Debian: apt-get install firefox-esr) or set FIREFOX_PATH`;
  } else {
    const { webkitUnavailable } = await import('./engines/webkit.ts');
    const why = webkitUnavailable();
    if (why !== null)
      return `WebKitGTK is not usable (${why}): install it (Debian: apt-get install gir1.2-webkit2-4.1 python3-gi xvfb)`;
  }
  return null;
}

const LAUNCH: Record<EngineName, Launcher> = {
  async chromium(blankPages) {
    const { launchChromium } = await import('./engines/chromium.ts');
    return launchChromium({ blankPages });
  },
  async firefox(blankPages) {
    const { launchFirefox } = await import('./engines/firefox.ts');
    return launchFirefox({ blankPages });
  },
  async webkit(blankPages) {
    const { launchWebKit } = await import('./engines/webkit.ts');
    return launchWebKit({ blankPages });
  },
};

/** The page-call a PageRequest describes (what the page's script does). */
export function pageCall(request: PageRequest, body?: string): PageCall {
  return {
    initiator: request.initiator === 'xhr' ? 'xhr' : 'fetch',
    url: request.url,
    method: request.method,
    headers: request.headers.map(([n, v]) => [n, v] as [string, string]),
    credentials: request.credentials,
    mode: request.mode,
    ...(body !== undefined ? { body } : {}),
  };
}

/** The model's prediction for `engine`, from the check report (the same verdict `check` printed). */
export function modelSide(report: CheckReport, engine: EngineName): EngineSide {
  const b = report.browser;
  const lines =
    engine === 'chromium'
      ? b.chrome === null
        ? []
        : [b.chrome]
      : engine === 'firefox'
        ? b.firefoxLines
        : b.safariLines;
  // The other engines carry no CorsError; the model's stands in for them only on Chromium.
  return {
    allowed: b.allowed,
    corsError: engine === 'chromium' ? b.corsError : null,
    failedParameter: engine === 'chromium' && b.corsError !== null ? b.failedParameter : null,
    consoleLines: lines,
    readableHeaders: b.allowed ? [...b.readableHeaders].sort() : [],
    jsError: null,
    status: null,
  };
}

export function engineSide(engine: EngineName, r: EngineResult): EngineSide {
  return {
    allowed: r.ok && (r.responseType !== 'opaque' || r.readableHeaders.length === 0),
    // An allowed request can still leave a CORS issue behind (Local Network Access on its preflight):
    // only a refusal's CorsError is the verdict's.
    corsError: engine === 'chromium' && !r.ok ? (r.corsErrorStatus?.corsError ?? null) : null,
    failedParameter: engine === 'chromium' && !r.ok ? (r.corsErrorStatus?.failedParameter ?? null) : null,
    consoleLines: r.consoleLines,
    readableHeaders: r.ok ? [...r.readableHeaders].sort() : [],
    jsError: r.jsError,
    status: r.status,
  };
}

/** The observables on which they differ, each as one line (empty: they agree). */
export function compareSides(engine: EngineName, model: EngineSide, real: EngineSide): string[] {
  const out: string[] = [];
  const say = (b: boolean) => (b ? 'allowed' : 'blocked');
  if (model.allowed !== real.allowed)
    out.push(
      `verdict: model ${say(model.allowed)}, ${engine} ${say(real.allowed)}${real.jsError ? ` (${real.jsError})` : ''}`,
    );
  if (engine === 'chromium' && model.corsError !== real.corsError)
    out.push(`CorsError: model ${model.corsError ?? 'none'}, chromium ${real.corsError ?? 'none'}`);
  else if (
    engine === 'chromium' &&
    model.corsError !== null &&
    (model.failedParameter ?? '') !== (real.failedParameter ?? '')
  )
    out.push(`failed parameter: model '${model.failedParameter}', chromium '${real.failedParameter}'`);
  // Chromium prints the CORS line and, from the network source, `GET … net::ERR_FAILED`, which the
  // driver leaves out; the model's line must be among the engine's. Firefox and WebKit: every line.
  const linesDiffer =
    engine === 'chromium'
      ? model.consoleLines.length !== real.consoleLines.length ||
        model.consoleLines.some((l) => !real.consoleLines.includes(l))
      : JSON.stringify(model.consoleLines) !== JSON.stringify(real.consoleLines);
  if (linesDiffer)
    out.push(
      `console: model ${JSON.stringify(model.consoleLines)}, ${engine} ${JSON.stringify(real.consoleLines)}`,
    );
  if (
    model.allowed &&
    real.allowed &&
    JSON.stringify(model.readableHeaders) !== JSON.stringify(real.readableHeaders)
  )
    out.push(
      `readable headers: model [${model.readableHeaders.join(', ')}], ${engine} [${real.readableHeaders.join(', ')}]`,
    );
  return out;
}

/**
 * Runs the report's request in each engine, one after the other (two cores: engines in parallel would
 * slow each other and the server under test), and compares each with the model.
 */
export async function confirmReport(
  request: PageRequest,
  report: CheckReport,
  options: ConfirmOptions,
): Promise<Confirmation[]> {
  const out: Confirmation[] = [];
  for (const engine of options.engines) {
    const started = Date.now();
    if (request.origin === 'null') {
      out.push({
        engine,
        ran: false,
        unavailable: "an opaque origin ('null') has no page URL to load; confirm with a real origin",
        ms: 0,
        differences: [],
        agree: null,
      });
      continue;
    }
    const launcher = options.launch?.[engine];
    const missing = launcher ? null : await engineMissing(engine);
    if (missing !== null) {
      out.push({
        engine,
        ran: false,
        unavailable: missing,
        ms: Date.now() - started,
        differences: [],
        agree: null,
      });
      continue;
    }
    const pageUrl = `${request.origin}${CONFIRM_PATH}`;
    let running: Running | undefined;
    try {
      running = await (launcher ?? LAUNCH[engine])([pageUrl]);
      const callStarted = Date.now();
      const result = await running.run(pageUrl, pageCall(request, options.body), options.timeoutMs ?? 10_000);
      const callMs = Date.now() - callStarted;
      const real = engineSide(engine, result);
      const model = modelSide(report, engine);
      const differences = compareSides(engine, model, real);
      out.push({
        engine,
        ran: true,
        version: running.version,
        ms: Date.now() - started,
        callMs,
        engineSide: real,
        modelSide: model,
        differences,
        agree: differences.length === 0,
      });
    } catch (err) {
      out.push({
        engine,
        ran: false,
        unavailable: `${engine} could not run the request: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
        ms: Date.now() - started,
        differences: [],
        agree: null,
      });
    } finally {
      await running?.close().catch(() => undefined);
    }
  }
  return out;
}
