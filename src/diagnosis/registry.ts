/**
 * The registered rules, in the order their findings are listed within one severity: what stops the
 * request before any CORS check first (network, mixed content, CSP, LNA), then the page's own CORS
 * failure, then what works now but breaks later, then security, then advice.
 */
import { allowOrigin } from './rules/allow-origin.ts';
import { attackerOrigins } from './rules/attacker-origins.ts';
import { corsProxy } from './rules/cors-proxy.ts';
import { credentialsAllowed } from './rules/credentials.ts';
import { cspBlocksRequest } from './rules/csp.ts';
import { duplicateHeaders } from './rules/duplicate-headers.ts';
import { errorResponses } from './rules/error-responses.ts';
import { exposedHeaders } from './rules/exposed-headers.ts';
import { localNetwork } from './rules/local-network.ts';
import { localhostAllowed } from './rules/localhost.ts';
import { mixedContent } from './rules/mixed-content.ts';
import { networkError } from './rules/network-error.ts';
import { opaqueResponse } from './rules/opaque-response.ts';
import { preflight } from './rules/preflight.ts';
import { requestCorsHeaders } from './rules/request-cors-headers.ts';
import { varyOrigin } from './rules/vary-origin.ts';
import { wildcardCredentials } from './rules/wildcard-credentials.ts';
import type { CheckInput, ProbeSpec, Rule } from './types.ts';

export const rules: Rule[] = [
  networkError,
  mixedContent,
  cspBlocksRequest,
  localNetwork,
  requestCorsHeaders,
  wildcardCredentials,
  duplicateHeaders,
  credentialsAllowed,
  allowOrigin,
  preflight,
  exposedHeaders,
  errorResponses,
  varyOrigin,
  localhostAllowed,
  attackerOrigins,
  corsProxy,
  opaqueResponse,
];

/**
 * Every probe the rules ask for, first declaration of a name wins. Here, beside the rules and apart from
 * `diagnose` (index.ts): the prober needs it before the first request goes out, the catalog only after.
 */
export function probesFor(input: CheckInput, ruleSet: readonly Rule[] = rules): ProbeSpec[] {
  const out = new Map<string, ProbeSpec>();
  for (const rule of ruleSet) {
    for (const p of rule.probes?.(input) ?? []) if (!out.has(p.name)) out.set(p.name, p);
  }
  return [...out.values()];
}
