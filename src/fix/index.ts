/**
 * Fixes that fit the case: one generated fix per stack for the whole diagnosis (all findings together),
 * from the page's exact origin, methods, request headers, exposed headers and credentials (./case.ts).
 * Pure: the catalog's docs, the CLI and the web page all call it.
 *
 *   const c = fixCase(input, findings);
 *   generateFix('flask', c)  // { stack, label, code, where, notes, runnable }
 */
import type { CheckInput, Finding } from '../diagnosis/types.ts';
import { type FixCase, fixCase } from './case.ts';
import { guessStacks } from './guess.ts';
import * as js from './stacks/js.ts';
import * as px from './stacks/proxies.ts';
import * as srv from './stacks/server.ts';
import { STACK_INFO, STACK_NAMES, type StackName } from './stacks.ts';
import type { Generator } from './types.ts';

export type { Change, FixCase, FrontEndChange } from './case.ts';
export { fixCase, sampleCase } from './case.ts';
export { guessStacks, type StackGuess } from './guess.ts';
export {
  aliasesOf,
  resolveStack,
  STACK_INFO,
  STACK_NAMES,
  type StackInfo,
  type StackName,
} from './stacks.ts';
export type { GeneratedFix } from './types.ts';

const GENERATORS: Record<StackName, Generator> = {
  express: js.express,
  fastify: js.fastify,
  koa: js.koa,
  hono: js.hono,
  nestjs: js.nestjs,
  nextjs: js.nextjs,
  node: js.node,
  'cors-doctor': js.corsDoctor,
  cloudflare: js.cloudflare,
  flask: srv.flask,
  django: srv.django,
  fastapi: srv.fastapi,
  rails: srv.rails,
  php: srv.php,
  laravel: srv.laravel,
  spring: srv.spring,
  aspnet: srv.aspnet,
  go: srv.go,
  'go-http': srv.goHttp,
  nginx: px.nginx,
  apache: px.apache,
  caddy: px.caddy,
  haproxy: px.haproxy,
  traefik: px.traefik,
  s3: px.s3,
  cloudfront: px.cloudfront,
};

/** The report's `fix` field (JSON) and the text report's fix block. */
export interface StackFix {
  stack: StackName;
  label: string;
  /** True when the stack was inferred from the responses rather than given with --stack. */
  inferred: boolean;
  /** The header line it was inferred from. */
  inferredFrom?: string;
  code: string;
  where: string;
  notes: string[];
  /** The generated fix for this stack is run against a real server by the project's tests. */
  runnable: boolean;
}

/** What the findings need beyond the configuration itself (shared by every stack). */
function caseNotes(c: FixCase, stack: StackName): string[] {
  const out: string[] = [];
  const proxy = STACK_INFO[stack].proxy;
  if (c.changes.includes('one-layer'))
    out.push(
      proxy
        ? "Two layers add CORS headers today: this one answers for CORS and hides the app's; remove the app's CORS setup too."
        : 'Two layers add CORS headers today: keep this one and delete the CORS lines of the proxy/CDN in front (nginx add_header, Apache Header set, gateway/CDN CORS settings).',
    );
  if (c.changes.includes('replace-origin'))
    out.push(
      `The allow-list has a near-miss${c.nearMiss ? ` (${c.nearMiss})` : ''}: replace it with ${c.origin}, exactly (scheme, host, port; no trailing slash).`,
    );
  if (c.changes.includes('no-localhost'))
    out.push(
      'Keep http://localhost:* out of the production list: load development origins from an environment variable in development only.',
    );
  if (c.changes.includes('exact-list'))
    out.push(
      'Only the listed origin gets headers: no reflecting Origin, no null, no http://, no unanchored pattern or every-subdomain rule.',
    );
  if (c.frontEnd.includes('remove-request-cors-headers'))
    out.push(
      'Front end: remove the Access-Control-* headers from the request (they are response headers; in a request they only trigger a preflight).',
    );
  if (c.frontEnd.includes('drop-cors-proxy'))
    out.push(
      `Front end: call the API directly instead of through a public CORS proxy; this configuration lets ${c.origin} do so.`,
    );
  if (c.frontEnd.includes('csp-connect-src'))
    out.push(
      `The page's Content-Security-Policy must allow the API: add ${c.site} to connect-src (this is not CORS; the server fix alone does not help).`,
    );
  if (c.frontEnd.includes('https'))
    out.push(
      `Serve the API over https: an https page cannot call http:// (mixed content), whatever the CORS headers say.`,
    );
  return out;
}

export function generateFix(stack: StackName, c: FixCase, inferred?: { from: string }): StackFix {
  const g = GENERATORS[stack](c);
  const info = STACK_INFO[stack];
  const fix: StackFix = {
    stack,
    label: info.label,
    inferred: inferred !== undefined,
    code: g.code,
    where: g.where,
    notes: [...g.notes, ...caseNotes(c, stack)],
    runnable: info.runnable,
  };
  if (inferred) fix.inferredFrom = inferred.from;
  return fix;
}

/** Every stack's fix for one case (the docs pages; `STACK_NAMES` order). */
export function allFixes(c: FixCase): StackFix[] {
  return STACK_NAMES.map((s) => generateFix(s, c));
}

/**
 * Findings whose fix is outside the API's CORS configuration (the network, the page's CSP, the front end's
 * request): alone, they get no generated configuration (the finding's own fix line says what to do);
 * next to server findings, the fix's notes name them.
 */
const NO_SERVER_FIX = new Set([
  'network-error',
  'local-network-access',
  'opaque-response',
  'mixed-content',
  'csp-blocks-request',
  'cors-headers-in-request',
]);

/**
 * The one fix for a whole diagnosis: for `stack` when given, else for the likeliest stack the responses
 * suggest (marked inferred), else null (also when no finding needs a server change).
 */
export function chooseFix(
  input: CheckInput,
  findings: readonly Finding[],
  responses: readonly (readonly (readonly [string, string])[])[],
  stack?: StackName,
): StackFix | null {
  const needs = findings.filter((f) => f.severity !== 'info' && !NO_SERVER_FIX.has(f.id));
  if (needs.length === 0) return null;
  const c = fixCase(input, findings);
  if (stack) return generateFix(stack, c);
  const guess = guessStacks(responses)[0];
  return guess ? generateFix(guess.stack, c, { from: guess.evidence }) : null;
}
