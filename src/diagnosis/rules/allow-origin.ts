/**
 * Mistakes 1 and 7 (and 3, 4 where the evidence says so): the browser found no usable
 * Access-Control-Allow-Origin for the page's origin (Fetch §4.9 CORS check steps 2–4; Chromium cors.cc
 * CheckAccess → MissingAllowOriginHeader / AllowOriginMismatch / InvalidAllowOriginValue, and their
 * Preflight… forms). The console line is the same for all causes; the probes tell them apart:
 * - a near-miss variant of the origin is accepted → the allow-list holds a typo (`origin-mismatch`);
 * - other origins are accepted, or the response shows a CORS layer → `origin-not-allowed`;
 * - the preflight got a 401/403 or a non-2xx, or a 2xx from the framework while simple requests do get
 *   the headers → the preflight is not handled (`preflight-failed-status`);
 * - the actual response is an error after a preflight that accepted the origin → `headers-missing-on-errors`;
 * - otherwise CORS is not configured for this route (`missing-allow-origin`).
 */
import type { CorsError } from '../../browser/types.ts';
import {
  corsLines,
  describe,
  describeWithOrigin,
  hasCorsSignals,
  headerValue,
  isOkStatus,
  isRedirectStatus,
  lastExchange,
  originAnswer,
  responseFor,
  responseOf,
} from '../evidence.ts';
import { nearMiss, nearMissVariants, probeOrigins } from '../origins.ts';
import { fromOrigin, likelyPreflighted, probe, simpleVariant } from '../probes.ts';
import type { DiagnosisContext, ProbeSpec, Rule, RuleFinding } from '../types.ts';

const ORIGIN_ERRORS: ReadonlySet<CorsError> = new Set<CorsError>([
  'MissingAllowOriginHeader',
  'PreflightMissingAllowOriginHeader',
  'AllowOriginMismatch',
  'PreflightAllowOriginMismatch',
  'InvalidAllowOriginValue',
  'PreflightInvalidAllowOriginValue',
]);

/** The first near-miss variant the server accepted, if any. */
function acceptedNearMiss(
  ctx: DiagnosisContext,
): { origin: string; label: string; evidence: string } | undefined {
  for (const variant of nearMissVariants(ctx.input.request.origin)) {
    const v = ctx.probes.get(variant.name);
    if (v === undefined) continue;
    const answer = originAnswer(v, variant.origin);
    if (answer.kind === 'reflected')
      return {
        origin: variant.origin,
        label: variant.label,
        evidence: `Origin: ${variant.origin} → ${describeWithOrigin(answer.exchange)}`,
      };
  }
  return undefined;
}

/** Other origins (attacker, development, subdomain probes) the server did answer with CORS headers. */
function otherOriginsAccepted(ctx: DiagnosisContext): string[] {
  const out: string[] = [];
  for (const [name, origin] of probeOrigins(ctx.input.request.origin)) {
    const v = ctx.probes.get(name);
    if (v === undefined || origin === ctx.input.request.origin) continue;
    const answer = originAnswer(v, origin);
    if (answer.kind === 'reflected' || answer.kind === 'wildcard')
      out.push(`Origin: ${origin} → ${describeWithOrigin(answer.exchange)}`);
  }
  return out;
}

export const allowOrigin: Rule = {
  name: 'allow-origin',
  probes(input): ProbeSpec[] {
    const req = input.request;
    const out = nearMissVariants(req.origin).map((v) =>
      probe(
        v.name,
        `Does the server accept the origin ${v.label} (${v.origin})? Then its allow-list holds a typo.`,
        fromOrigin(req, v.origin),
      ),
    );
    if (likelyPreflighted(req)) {
      out.push(
        probe(
          'simple-request',
          'Does a request without a preflight get CORS headers? Then only the preflight is unhandled.',
          simpleVariant(req),
        ),
      );
    }
    return out;
  },
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    if (main.corsError === null || !ORIGIN_ERRORS.has(main.corsError)) return [];
    const origin = ctx.input.request.origin;
    const ex = lastExchange(main);
    const res = responseOf(ex);
    if (ex === undefined || res === undefined) return [];
    const isPreflight = ex.request.purpose === 'preflight';
    const evidence = [
      describeWithOrigin(ex),
      ...corsLines(res.headers).filter((l) => !/^access-control-allow-origin:/i.test(l)),
    ];
    const acao = headerValue(res.headers, 'access-control-allow-origin');
    const where = isPreflight ? 'preflight (OPTIONS)' : 'response';

    if (acao !== undefined && acao !== '') {
      // Chromium cors_url_loader.cc: after a redirect to another origin the request is tainted and its
      // Origin becomes `null`, so an Allow-Origin naming the page no longer matches.
      const sentOrigin = headerValue(ex.request.headers, 'origin');
      if (acao === origin && sentOrigin === 'null') {
        const hops = main.exchanges.filter((x) => x !== ex).map((x) => describe(x));
        return [
          {
            id: 'origin-not-allowed',
            severity: 'error',
            detail: `The request was redirected to another origin, so the browser sent 'Origin: null' to ${ex.request.url} (a tainted origin), and '${acao}' no longer matches it. After such a redirect only '*' (without credentials) or 'null' pass.`,
            evidence: [...hops, ...evidence, `Access-Control-Allow-Origin: ${acao}`],
            fixSummary:
              'Call the final URL directly so no cross-origin redirect happens (or, for a public resource without credentials, answer *).',
          },
        ];
      }
      const diff = nearMiss(acao, origin);
      if (diff !== undefined) {
        return [
          {
            id: 'origin-mismatch',
            severity: 'error',
            detail: `The ${where} allows '${acao}', which differs from the page's origin '${origin}' by ${diff}. The browser compares the two strings exactly, so the configured origin has a typo.`,
            evidence,
            fixSummary: `Configure exactly '${origin}' (scheme://host[:port], nothing else) instead of '${acao}'.`,
          },
        ];
      }
      const near = acceptedNearMiss(ctx);
      if (near !== undefined) return [mismatchFromProbe(near, origin, evidence)];
      return [
        {
          id: 'origin-not-allowed',
          severity: 'error',
          detail: `The ${where} allows '${acao}', not the page's origin '${origin}'. The server either sends one fixed origin or its allow-list does not hold this one.`,
          evidence,
          fixSummary: `Add '${origin}' to the allow-list and echo the matching entry (with Vary: Origin) instead of a fixed value.`,
        },
      ];
    }

    const status = res.status;
    const pre = responseFor(main, 'preflight');
    if (
      !isPreflight &&
      status >= 400 &&
      pre !== undefined &&
      originAnswer({ ...main, exchanges: [pre.exchange] }, origin).kind !== 'none'
    ) {
      return [
        {
          id: 'headers-missing-on-errors',
          severity: 'error',
          detail: `The preflight accepted '${origin}', but the actual request got a ${status} without CORS headers, so the script sees a CORS error (TypeError: Failed to fetch) instead of the ${status} and its body. The error path skips the CORS layer.`,
          evidence: [describeWithOrigin(pre.exchange), ...evidence],
        },
      ];
    }
    if (isPreflight && (status === 401 || status === 403)) {
      return [
        {
          id: 'preflight-failed-status',
          severity: 'error',
          detail: `The preflight got a ${status} without CORS headers: authentication runs before CORS. A preflight never carries cookies or Authorization, so it must be answered before any authentication (this is also mistake 4's ordering problem).`,
          evidence,
          fixSummary:
            'Put the CORS layer before authentication, so OPTIONS is answered (2xx with the CORS headers) without credentials.',
        },
      ];
    }
    const near = acceptedNearMiss(ctx);
    if (near !== undefined) return [mismatchFromProbe(near, origin, evidence)];
    const others = otherOriginsAccepted(ctx);
    if (others.length > 0 || hasCorsSignals(res.headers)) {
      return [
        {
          id: 'origin-not-allowed',
          severity: 'error',
          detail: `The server does CORS (${others.length > 0 ? 'it answers other origins' : 'the response carries other CORS headers'}) but not for '${origin}', and no near-miss of it (scheme, www., port, trailing slash, case) is accepted either: the origin is simply not on the allow-list.${others.length === 0 ? ' (No probe origin was accepted either, so the other reading is a CORS layer that never sends Access-Control-Allow-Origin at all; the fix is the same header.)' : ''}`,
          evidence: [...evidence, ...others.slice(0, 3)],
          fixSummary: `Add exactly '${origin}' to the allow-list.`,
        },
      ];
    }
    if (isPreflight && !isOkStatus(status)) {
      return [
        {
          id: 'preflight-failed-status',
          severity: 'error',
          detail: `The preflight (OPTIONS) got a ${status} without CORS headers: nothing handles OPTIONS for this route${status === 404 || status === 405 ? ' (the router has no OPTIONS handler)' : ''}. Chrome reports the missing Access-Control-Allow-Origin because it checks that before the status.`,
          evidence,
        },
      ];
    }
    const simple = ctx.probes.get('simple-request');
    if (isPreflight && simple !== undefined && originAnswer(simple, origin).kind !== 'none') {
      const a = originAnswer(simple, origin);
      return [
        {
          id: 'preflight-failed-status',
          severity: 'error',
          detail: `The preflight got a ${status} without CORS headers, while a request without a preflight does get them: the framework answers OPTIONS itself and the CORS layer never sees it (e.g. CORS applied per route, or only to GET/POST).`,
          evidence: [...evidence, ...(a.exchange ? [describeWithOrigin(a.exchange)] : [])],
          fixSummary:
            'Let the CORS layer answer OPTIONS for this route (e.g. register it for all methods, or app.options(route, cors())).',
        },
      ];
    }
    const location = headerValue(res.headers, 'location');
    const allow = headerValue(res.headers, 'allow');
    if (!isPreflight && isRedirectStatus(status) && location !== undefined) {
      return [
        {
          id: 'missing-allow-origin',
          severity: 'error',
          detail: `The server answered with a ${status} redirect to ${location}, and the redirect itself has no Access-Control-Allow-Origin. A browser checks CORS on every redirect hop, so it stops here. Call the final URL directly (scheme, host, trailing slash), or send the CORS headers on the redirect too.`,
          evidence: [...evidence, `Location: ${location}`],
          fixSummary: `Call ${location} directly, or add the CORS headers to the redirect response.`,
        },
      ];
    }
    return [
      {
        id: 'missing-allow-origin',
        severity: 'error',
        detail:
          (status >= 400
            ? `The ${where} was a ${status} without Access-Control-Allow-Origin, and no probe found CORS headers for any origin. Either CORS is not configured for this route, or it is and this error path skips it (mistake 4).`
            : `The ${where} has no Access-Control-Allow-Origin, and no probe found CORS headers for any origin: CORS is not configured for this route.`) +
          (isPreflight && allow !== undefined
            ? ` The framework answered OPTIONS by itself (Allow: ${allow}), as routers do when no CORS layer handles it.`
            : ''),
        evidence: isPreflight && allow !== undefined ? [...evidence, `Allow: ${allow}`] : evidence,
      },
    ];
  },
};

function mismatchFromProbe(
  near: { origin: string; label: string; evidence: string },
  origin: string,
  evidence: string[],
): RuleFinding {
  return {
    id: 'origin-mismatch',
    severity: 'error',
    detail: `The server rejects '${origin}' but accepts '${near.origin}' (${near.label}): your allow-list probably holds '${near.origin}', a near miss of the origin the browser sends.`,
    evidence: [...evidence, near.evidence],
    fixSummary: `Replace '${near.origin}' with exactly '${origin}' in the allow-list.`,
  };
}
