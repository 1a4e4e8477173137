/**
 * Runs the browser model against the real network. The model (src/browser, pure) is a generator: it yields
 * each request the browser would put on the wire (preflight, actual request, each redirect hop) and takes
 * back the response; this loop sends each one with sendWire and feeds the answer in, until the model
 * returns its Verdict. All CORS decisions stay in the model; this file only carries bytes.
 */
import type { Verdict, WireRequest, WireResponse } from '../browser/types.ts';
import { type SendOptions, sendWire, type TimedResponse } from './wire.ts';

/** What `simulate(pageRequest)` returns. */
export type Simulation = Generator<WireRequest, Verdict, WireResponse>;

/** One round trip as it happened on the wire, for the report. */
export interface WireExchange {
  request: WireRequest;
  /** Header lines actually sent (the model's plus what the network stack adds). */
  sentHeaders: readonly (readonly [string, string])[];
  response: TimedResponse;
}

export interface Driven {
  verdict: Verdict;
  exchanges: WireExchange[];
}

/** A safety net above Chromium's own 20-redirect limit (the model enforces that one). */
const MAX_ROUND_TRIPS = 32;

export type Sender = (request: WireRequest, opts: SendOptions) => Promise<TimedResponse>;

export async function drive(
  simulation: Simulation,
  opts: SendOptions & {
    send?: Sender;
    headersSent?: (r: WireRequest) => readonly (readonly [string, string])[];
  },
): Promise<Driven> {
  const send = opts.send ?? sendWire;
  const exchanges: WireExchange[] = [];
  let step = simulation.next(undefined as unknown as WireResponse);
  while (!step.done) {
    const request = step.value;
    let response: TimedResponse;
    if (exchanges.length >= MAX_ROUND_TRIPS) {
      response = {
        kind: 'network-error',
        netError: 'net::ERR_TOO_MANY_REDIRECTS',
        message: `more than ${MAX_ROUND_TRIPS} round trips`,
        code: 'TOO_MANY_ROUND_TRIPS',
        ms: 0,
      };
    } else {
      response = await send(request, opts);
    }
    exchanges.push({ request, sentHeaders: opts.headersSent?.(request) ?? request.headers, response });
    // The model sees the plain WireResponse; `ms` and `code` are the prober's.
    const { ms: _ms, code: _code, ...plain } = response;
    step = simulation.next(plain as WireResponse);
  }
  return { verdict: step.value, exchanges };
}
