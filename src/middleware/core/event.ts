/**
 * The structured decision event (`onDecision`): why a CORS request was allowed or refused, with the
 * catalog's finding ids as reason codes, so a server can log exactly what the browser will complain about.
 * Rejections stay silent to the requesting page; this event is for the developer.
 */
import type { FindingId } from '../../catalog/ids.ts';

/** Reasons a request is refused; each is a catalog finding id (src/catalog/ids.ts). */
export type RejectionReason = Extract<
  FindingId,
  'origin-not-allowed' | 'method-not-allowed' | 'header-not-allowed'
>;

export interface CorsDecisionEvent {
  /** `preflight`: OPTIONS + Origin + Access-Control-Request-Method; `actual`: any other request with Origin. */
  kind: 'preflight' | 'actual';
  outcome: 'allowed' | 'rejected';
  /** null when allowed. */
  reason: RejectionReason | null;
  /** The request's Origin, made log-safe: control bytes escaped, at most 256 characters. */
  origin: string;
  /** The request method, or for a preflight the method asked for (Access-Control-Request-Method), log-safe. */
  method: string;
  /** For `header-not-allowed`: the first refused header name (lower case), log-safe. */
  header?: string;
  /** One sentence for a log line: what was refused and what to change if it should be allowed. */
  message: string;
}
