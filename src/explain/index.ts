/**
 * `explain`: pasted console text in, recognised messages with their causes, fixes and the confirming
 * `check` command out. Pure: no I/O, runs in a web page too.
 *
 *   const outcome = explain(pasted);
 *   if (outcome.ok) for (const m of outcome.result.messages) console.log(m.corsError, m.causes[0]?.id);
 */
import { readProblem, withProxyCause } from './causes.ts';
import { checkCommand } from './check-command.ts';
import { humanSize } from './group.ts';
import { type Fragment, recognise } from './recognise.ts';
import { MAX_INPUT_CHARS, normalizePaste } from './text.ts';
import type { ExplainedMessage, ExplainOutcome, ExplainResult } from './types.ts';

export { originDifference } from './causes.ts';
export { ORIGIN_PLACEHOLDER, shellQuote } from './check-command.ts';
export { groupMessages, humanSize, type MessageGroup } from './group.ts';
export { MAX_INPUT_CHARS, normalizePaste } from './text.ts';
export type * from './types.ts';

/** What explain accepts, for the answer when nothing was recognised. */
export const ACCEPTS = [
  "Chrome/Edge: Access to fetch at '…' from origin '…' has been blocked by CORS policy: …",
  'Firefox: Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at … (Reason: …)',
  'Safari: Origin … is not allowed by Access-Control-Allow-Origin. Status code: … (and the other WebKit reasons)',
  "CSP: Refused to connect to '…' because it violates the following Content Security Policy directive: …",
  "Mixed content (Mixed Content: The page at '…' was loaded over HTTPS…), Local Network Access, net::ERR_… lines",
];

const JS_ERRORS = {
  chrome: 'TypeError: Failed to fetch',
  firefox: 'TypeError: NetworkError when attempting to fetch resource.',
  safari: 'TypeError: Load failed',
} as const;

const sameUrl = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.replace(/\/$/, '') === b.replace(/\/$/, '');

/**
 * Pairs WebKit's URL line with its reason line, merges WebKit's repeated reason (`Failed to load resource:
 * …`), and folds DevTools network lines into the message they belong to (status, method).
 */
function assemble(fragments: Fragment[]): { messages: Fragment[]; hints: string[] } {
  const frags = fragments.map((f) => ({ ...f, values: { ...f.values } }));
  const dropped = new Set<number>();
  const isSafariReason = (f: Fragment | undefined) =>
    f !== undefined && f.browser === 'safari' && f.role === 'message' && f.values.url === undefined;

  frags.forEach((f, i) => {
    if (f.role !== 'webkit-url') return;
    // The reason line comes first in Safari's console; accept it just after, too.
    const partner = [i - 1, i - 2, i + 1].find((j) => isSafariReason(frags[j]) && !dropped.has(j));
    if (partner === undefined) return;
    const p = frags[partner]!;
    p.values.url = f.values.url;
    if (f.values.kind) p.values.kind = f.values.kind;
    dropped.add(i);
  });
  frags.forEach((f, i) => {
    if (f.browser !== 'safari' || f.role !== 'message' || dropped.has(i)) return;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const e = frags[j]!;
      if (dropped.has(j) || e.browser !== 'safari' || e.role !== 'message') continue;
      if (
        e.corsError === f.corsError &&
        e.values.origin === f.values.origin &&
        e.values.status === f.values.status
      ) {
        if (f.values.url && !e.values.url) e.values.url = f.values.url;
        dropped.add(i);
        return;
      }
    }
  });

  // WebKit's `Cross-origin redirection to {target} denied by …: {reason}`: the reason's response was the
  // redirect; its URL line names the URL the page asked for.
  frags.forEach((f, i) => {
    if (f.role !== 'webkit-redirect') return;
    dropped.add(i);
    const next = frags[i + 1];
    if (next?.browser !== 'safari' || next.role !== 'message' || !f.values.url) return;
    if (next.values.url) next.values.initialUrl = next.values.url;
    next.values.url = f.values.url;
    next.values.redirectedTo = f.values.url;
  });

  // Firefox follows a CORS block with `CORS request did not succeed … Status code: (null)` for the same URL:
  // a consequence, not a second (network) failure.
  frags.forEach((f, i) => {
    if (f.browser !== 'firefox' || f.corsError !== 'CORSDidNotSucceed2') return;
    const earlier = frags
      .slice(0, i)
      .some(
        (e, j) =>
          !dropped.has(j) &&
          e.browser === 'firefox' &&
          e.role === 'message' &&
          e.problem !== 'network' &&
          (j >= i - 2 || sameUrl(e.values.url, f.values.url)),
      );
    if (earlier) dropped.add(i);
  });

  const hints: string[] = [];
  const messages: Fragment[] = [];
  frags.forEach((f, i) => {
    if (dropped.has(i)) return;
    if (f.role === 'message') {
      messages.push(f);
      return;
    }
    if (f.role === 'webkit-url') {
      messages.push({ ...f, role: 'message' });
      return;
    }
    if (f.role === 'net-line') {
      // The message it belongs to is printed just before (Chrome) or after it.
      const owner = [i - 1, i + 1, i - 2, i + 2]
        .map((j) => frags[j])
        .find(
          (m) =>
            m !== undefined &&
            m.role === 'message' &&
            m.browser === 'chrome' &&
            m.problem !== 'network' &&
            (f.values.url === undefined ||
              sameUrl(m.values.url, f.values.url) ||
              sameUrl(m.values.initialUrl, f.values.url)),
        );
      if (owner) {
        if (f.values.method && !owner.values.method) owner.values.method = f.values.method;
        if (f.values.status !== undefined && owner.preflight !== true && owner.values.status === undefined) {
          owner.values.status = f.values.status;
        }
        return;
      }
      if (f.values.netError === 'net::ERR_FAILED') {
        hints.push(
          `${f.values.url ? `${f.values.method ?? 'The request to'} ${f.values.url}` : 'A request'} failed with net::ERR_FAILED: that is how DevTools logs any blocked request. The console line with the reason ("Access to fetch at … has been blocked by CORS policy: …") is printed next to it; paste that one.`,
        );
        return;
      }
      messages.push({ ...f, role: 'message' });
      return;
    }
    if (f.role === 'js-error') {
      hints.push(
        `"${JS_ERRORS[f.browser]}" is what the page's script sees for any blocked or failed request; the reason is in the browser's own console line (Console tab, in red), which names CORS, CSP or a net::ERR code. Paste that line.`,
      );
    }
  });
  // With a message recognised, the script-side errors and bare network lines add nothing.
  return { messages, hints: messages.length > 0 ? [] : [...new Set(hints)] };
}

function toMessage(f: Fragment, text: string): ExplainedMessage {
  const reading = withProxyCause(
    readProblem(f.problem, f.values, f.preflight),
    f.values.initialUrl ?? f.values.url,
  );
  const check = checkCommand({
    values: f.values,
    problem: f.problem,
    credentials: reading.credentials,
    initiatorXhr: f.values.kind === 'XMLHttpRequest',
    browser: f.browser,
  });
  let note = reading.note;
  if (f.values.redirectedTo) {
    const add = `Safari refused the redirect to ${f.values.redirectedTo}: the redirect response itself needs the CORS headers, and a redirect to another origin turns the request's Origin into 'null'.`;
    note = note ? `${note} ${add}` : add;
  } else if (f.values.initialUrl && f.problem !== 'allow-origin-mismatch') {
    const add = `The request was redirected from ${f.values.initialUrl}: every response of the chain, the redirect included, needs the CORS headers, and a redirect to another origin turns the request's Origin into 'null'.`;
    note = note ? `${note} ${add}` : add;
  }
  if (f.corsError === 'LoadFailed') {
    const add =
      "Safari prints this line for failures that are not CORS checks: a network error, or a request mode the page chose (mode: 'same-origin').";
    note = note ? `${note} ${add}` : add;
  }
  if (check?.includes('<your-page-origin>')) {
    const add =
      "This message does not name the page's origin: put yours (scheme://host[:port]) in the command.";
    note = note ? `${note} ${add}` : add;
  }
  if (check && f.preflight && !f.values.method && !f.values.header) {
    const add =
      'The preflight is sent because of the request method or a custom header: add --method and -H as your page sends them, or use check --curl with "Copy as cURL" from DevTools.';
    note = note ? `${note} ${add}` : add;
  }
  return {
    browser: f.browser,
    corsError: f.corsError,
    problem: f.problem,
    preflight: f.preflight,
    url: f.values.url ?? null,
    origin: f.values.origin ?? null,
    values: f.values,
    text: text.slice(f.start, f.end).replace(/\s+/g, ' ').trim(),
    summary: reading.summary,
    causes: reading.causes,
    tellApart: reading.causes.length > 1 ? reading.tellApart : null,
    note,
    check,
  };
}

/**
 * The refusal for oversized input. `chars` is the real size (the CLI counts a stream it stopped
 * storing); `atLeast` when even counting stopped.
 */
export function tooLargeMessage(chars: number, atLeast = false): string {
  const size = `${atLeast ? 'more than ' : ''}${chars} characters${chars >= 1024 ? ` (${humanSize(chars)})` : ''}`;
  return `the pasted text has ${size}; explain reads at most ${MAX_INPUT_CHARS} (${humanSize(MAX_INPUT_CHARS)}): paste only the console lines about the failed request`;
}

/** Explains pasted console text: every recognised message in the order pasted. Never throws. */
export function explain(raw: string): ExplainOutcome {
  if (raw.length > MAX_INPUT_CHARS) {
    return { ok: false, problem: 'input-too-large', message: tooLargeMessage(raw.length) };
  }
  const text = normalizePaste(raw);
  const { messages, hints } = assemble(recognise(text));
  const result: ExplainResult = {
    schemaVersion: 1,
    messages: messages.map((f) => toMessage(f, text)),
    hints,
  };
  return { ok: true, result };
}
