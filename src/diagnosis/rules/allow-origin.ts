/**
 * Mistakes 1, 3, 4, 6 and 7 behind one console line: the browser found no usable
 * Access-Control-Allow-Origin for the page's origin (Fetch §4.9 CORS check steps 2–4; Chromium cors.cc
 * CheckAccess → MissingAllowOriginHeader / AllowOriginMismatch / InvalidAllowOriginValue, and their
 * Preflight… forms). The line is the same for every cause; the map of where the server's CORS layer
 * does answer (./cors-layer.ts) tells them apart:
 * - an Allow-Origin naming another origin, served by a cache (or fixed by a cache-busting query) →
 *   `missing-vary-origin`; a near miss of the page's origin → `origin-mismatch`;
 * - no Allow-Origin on an error status while CORS answers elsewhere (the preflight, a simple request,
 *   other origins) → `headers-missing-on-errors`: the error path skips the CORS layer;
 * - a preflight without CORS headers while simple requests from this origin get them → the preflight
 *   is not handled (`preflight-failed-status`, naming the layer that answered), or the CORS layer
 *   refused its method or headers (`method-not-allowed` / `header-not-allowed`: the split preflights say
 *   which), or authentication answered it (401/403 where anonymous simple requests are refused too);
 * - other origins accepted, or a CORS layer visible → `origin-not-allowed`;
 * - no CORS header anywhere → `missing-allow-origin`.
 */
import type { CorsError, HeaderList, Verdict } from '../../browser/types.ts';
import {
  answeredBy,
  cacheHitLines,
  type Sighting,
  sightingLine,
  sightings,
  variesOnOrigin,
} from '../cors-layer.ts';
import {
  corsLines,
  describe,
  describeWithOrigin,
  hasCorsSignals,
  headerValue,
  isOkStatus,
  isRedirectStatus,
  lastExchange,
  listItems,
  originAnswer,
  responseOf,
} from '../evidence.ts';
import { nearMiss, nearMissVariants, probeOrigins } from '../origins.ts';
import {
  anonymous,
  cacheBusted,
  fromOrigin,
  isSafelistedMethod,
  likelyPreflighted,
  preflightShaped,
  preflightSplit,
  probe,
  rootOf,
  simpleVariant,
  slashVariant,
  unsafeHeaderNames,
} from '../probes.ts';
import type { DiagnosisContext, ProbeSpec, Rule, RuleFinding } from '../types.ts';

const ORIGIN_ERRORS: ReadonlySet<CorsError> = new Set<CorsError>([
  'MissingAllowOriginHeader',
  'PreflightMissingAllowOriginHeader',
  'AllowOriginMismatch',
  'PreflightAllowOriginMismatch',
  'InvalidAllowOriginValue',
  'PreflightInvalidAllowOriginValue',
]);

/** Probes sent with the page's own origin to map where the CORS layer answers (and the rules reading them). */
const LAYER_PROBES = [
  'simple-request',
  'simple-anonymous',
  'preflight-method-only',
  'preflight-headers-only',
  'preflight-shaped',
  'cache-bust',
  'error-no-credentials',
  'error-missing-path',
  'slash-variant',
  'root-path',
] as const;

const hasCredentials = (req: DiagnosisContext['input']['request']): boolean =>
  req.credentials === 'include' ||
  req.headers.some(([n]) => ['authorization', 'cookie'].includes(n.toLowerCase()));

/**
 * How a probe answered its origin at the step where the page's request failed: a probe whose actual
 * request was held back (a PUT) has only its preflight, which says nothing about an actual response.
 */
function answerAt(ctx: DiagnosisContext, v: Verdict, origin: string): ReturnType<typeof originAnswer> {
  const step = lastExchange(ctx.main)?.request.purpose;
  const at = v.exchanges.filter((x) => x.request.purpose === step && x.response.kind === 'response');
  if (at.length === 0) return { kind: 'none', exchange: undefined };
  return originAnswer({ ...v, exchanges: at }, origin);
}

/** The first near-miss variant the server accepted, if any. */
function acceptedNearMiss(
  ctx: DiagnosisContext,
): { origin: string; label: string; evidence: string; probe: string } | undefined {
  for (const variant of nearMissVariants(ctx.input.request.origin)) {
    const v = ctx.probes.get(variant.name);
    if (v === undefined) continue;
    const answer = answerAt(ctx, v, variant.origin);
    if (answer.kind === 'reflected')
      return {
        origin: variant.origin,
        label: variant.label,
        evidence: `Origin: ${variant.origin} → ${describeWithOrigin(answer.exchange)}`,
        probe: variant.name,
      };
  }
  return undefined;
}

/** Other origins (attacker, development, subdomain probes) the server did answer with CORS headers. */
function otherOriginsAccepted(ctx: DiagnosisContext): { lines: string[]; probes: string[] } {
  const lines: string[] = [];
  const probes: string[] = [];
  for (const [name, origin] of probeOrigins(ctx.input.request.origin)) {
    const v = ctx.probes.get(name);
    if (v === undefined || origin === ctx.input.request.origin) continue;
    const answer = answerAt(ctx, v, origin);
    if (answer.kind === 'reflected' || answer.kind === 'wildcard') {
      lines.push(`Origin: ${origin} → ${describeWithOrigin(answer.exchange)}`);
      probes.push(name);
    }
  }
  return { lines, probes };
}

/** A split preflight passed: its preflight accepted the origin and no preflight check failed. */
function passedPreflight(ctx: DiagnosisContext, name: string): Sighting | undefined {
  const v = ctx.probes.get(name);
  if (v === undefined || /^Preflight|PreflightResponse$/.test(v.corsError ?? '')) return undefined;
  return sightings(ctx, [name]).find(
    (s) => s.source === name && s.exchange.request.purpose === 'preflight' && s.accepted,
  );
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
    const preflighted = likelyPreflighted(req);
    if (preflighted || req.method.toUpperCase() !== 'GET') {
      out.push(
        probe(
          'simple-request',
          'Does a request without a preflight (a plain GET) get CORS headers? Then the CORS layer handles this URL, and only the preflight or the method is the problem.',
          simpleVariant(req),
        ),
      );
    }
    if (hasCredentials(req)) {
      out.push(
        probe(
          'simple-anonymous',
          'Does an anonymous plain GET (no cookies, no Authorization) get CORS headers? Then CORS runs before authentication.',
          anonymous(simpleVariant(req)),
        ),
      );
    }
    const split = preflightSplit(req);
    if (split !== undefined) {
      out.push(
        probe(
          'preflight-method-only',
          `Does a preflight for ${req.method.toUpperCase()} alone (without the request headers) pass?`,
          split.methodOnly,
        ),
        probe(
          'preflight-headers-only',
          'Does a preflight for the request headers alone (on a GET) pass?',
          split.headersOnly,
        ),
      );
    }
    if (!preflighted) {
      out.push(
        probe(
          'preflight-shaped',
          'Does a CORS layer answer a preflight (OPTIONS for a JSON PUT) at this URL? Only the OPTIONS is sent.',
          preflightShaped(req),
        ),
      );
    }
    const root = rootOf(req.url);
    if (root !== undefined) {
      out.push(
        probe(
          'root-path',
          "Does the server's root (GET /) carry CORS headers? Then a CORS layer exists even where this URL's answers show none.",
          { ...simpleVariant(req), url: root },
        ),
      );
    }
    const slashed = slashVariant(req.url);
    if (slashed !== undefined) {
      out.push(
        probe(
          'slash-variant',
          'Does the URL with (or without) its trailing slash answer with CORS headers? A redirect between the two is often sent before the CORS layer.',
          { ...simpleVariant(req), url: slashed },
        ),
      );
    }
    const busted = ['GET', 'HEAD'].includes(req.method.toUpperCase())
      ? cacheBusted(req.url, req.origin)
      : undefined;
    if (busted !== undefined) {
      out.push(
        probe(
          'cache-bust',
          'Does the same request with a query no cache has stored get a different Access-Control-Allow-Origin? Then a cache serves one origin its answer for another.',
          { ...fromOrigin(req, req.origin), url: busted },
        ),
      );
    }
    return out;
  },
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    if (main.corsError === null || !ORIGIN_ERRORS.has(main.corsError)) return [];
    const ex = lastExchange(main);
    const res = responseOf(ex);
    if (ex === undefined || res === undefined) return [];
    const acao = headerValue(res.headers, 'access-control-allow-origin');
    if (acao !== undefined && acao !== '') return wrongAllowOrigin(ctx, acao);
    return noAllowOrigin(ctx);
  },
};

/** The decisive response names an origin, not the page's. */
function wrongAllowOrigin(ctx: DiagnosisContext, acao: string): RuleFinding[] {
  const { main } = ctx;
  const origin = ctx.input.request.origin;
  const ex = lastExchange(main)!;
  const res = responseOf(ex)!;
  const isPreflight = ex.request.purpose === 'preflight';
  const where = isPreflight ? 'preflight (OPTIONS)' : 'response';
  const evidence = [
    describeWithOrigin(ex),
    ...corsLines(res.headers).filter((l) => !/^access-control-allow-origin:/i.test(l)),
  ];

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
        probes: [],
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
        probes: [],
      },
    ];
  }
  // Another origin's answer: a cache that stored it without Vary: Origin (mistake 6), when the cache
  // says it served from storage or the server itself answers this origin at a busted URL.
  if (!isPreflight && !variesOnOrigin(res.headers) && acao !== '*') {
    const hit = cacheHitLines(res.headers);
    const bust = ctx.probes.get('cache-bust');
    const fresh = bust === undefined ? undefined : originAnswer(bust, origin);
    const served = fresh?.kind === 'reflected';
    if (served || (hit.length > 0 && acceptedElsewhere(ctx).length > 0)) {
      return [
        {
          id: 'missing-vary-origin',
          severity: 'error',
          detail: `The response allows '${acao}', another origin, ${hit.length > 0 ? `and was served from a cache (${hit.join(', ')})` : 'though the server itself answers this origin'}${served ? `: the same request with a query no cache has stored gets Access-Control-Allow-Origin: ${origin}` : ''}. The server echoes each allowed origin but does not send Vary: Origin, so a shared cache stored the answer for '${acao}' and hands it to every origin until it expires.`,
          evidence: [
            ...evidence,
            `Access-Control-Allow-Origin: ${acao}`,
            ...hit,
            ...(served && fresh.exchange
              ? [`cache-busting query → ${describeWithOrigin(fresh.exchange)}`]
              : []),
          ],
          fixSummary:
            'Send Vary: Origin on every response whose Access-Control-Allow-Origin depends on the Origin (and purge the cache once).',
          probes: served ? ['cache-bust'] : [],
        },
      ];
    }
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
      probes: [],
    },
  ];
}

/** Probes sent with the page's origin whose answers accepted it (the CORS layer knows this origin). */
function acceptedElsewhere(ctx: DiagnosisContext): Sighting[] {
  return sightings(ctx, LAYER_PROBES).filter(
    (s) => s.source !== 'page' && s.origin === ctx.input.request.origin && s.accepted,
  );
}

/** The decisive response has no Access-Control-Allow-Origin at all. */
function noAllowOrigin(ctx: DiagnosisContext): RuleFinding[] {
  const { main } = ctx;
  const req = ctx.input.request;
  const origin = req.origin;
  const ex = lastExchange(main)!;
  const res = responseOf(ex)!;
  const status = res.status;
  const isPreflight = ex.request.purpose === 'preflight';
  const where = isPreflight ? 'preflight (OPTIONS)' : 'response';
  const evidence = [describeWithOrigin(ex), ...corsLines(res.headers)];
  const by = answeredBy(ex);

  const near = acceptedNearMiss(ctx);
  if (near !== undefined) return [mismatchFromProbe(near, origin, evidence)];

  const layer = sightings(ctx, LAYER_PROBES);
  const mine = layer.filter((s) => s.source !== 'page' && s.origin === origin && s.accepted);
  const pagePre =
    main.exchanges[0] !== ex
      ? layer.find((s) => s.source === 'page' && s.exchange.request.purpose === 'preflight' && s.accepted)
      : undefined;
  const others = otherOriginsAccepted(ctx);
  const signals = layer.filter((s) => s.signals);
  const corsSomewhere =
    pagePre !== undefined || mine.length > 0 || others.lines.length > 0 || signals.length > 0;
  const firstCors = pagePre ?? mine[0] ?? signals.find((s) => s.source !== 'page');
  const corsLine = firstCors !== undefined ? sightingLine(firstCors) : others.lines[0];
  const corsProbes = [
    ...new Set([
      ...(firstCors && firstCors.source !== 'page' ? [firstCors.source] : []),
      ...(firstCors === undefined ? others.probes.slice(0, 1) : []),
    ]),
  ];

  if (!isPreflight) {
    const knowsOrigin = pagePre !== undefined || mine.length > 0;
    // On the same error, other origins get CORS headers, or the layer marked this answer: it ran here
    // and refused this origin (not mistake 4).
    const ranHere = others.lines.length > 0 || hasCorsSignals(res.headers);
    if (status >= 400 && (knowsOrigin || (corsSomewhere && !ranHere))) {
      return [
        {
          id: 'headers-missing-on-errors',
          severity: 'error',
          detail: `The ${status} answer${by} has no CORS headers, but the server's CORS layer does answer${pagePre ? ` (the preflight accepted '${origin}')` : ''}: ${corsLine}. So this error path skips the CORS layer (an authentication hook or error handler that answers before it, or a proxy that adds the headers to successes only), and the script gets a CORS error (TypeError: Failed to fetch) instead of the ${status} and its body.`,
          evidence: [...evidence, ...(corsLine ? [corsLine] : [])],
          probes: corsProbes,
        },
      ];
    }
    const location = headerValue(res.headers, 'location');
    if (isRedirectStatus(status) && location !== undefined) {
      const target = redirectTarget(ctx, ex.request.url, location);
      if (target !== undefined)
        return [
          {
            id: 'headers-missing-on-errors',
            severity: 'error',
            detail: `The server answered with a ${status} redirect to ${location}${by} without CORS headers, while the target itself gets them (${sightingLine(target)}): the redirect is sent by a layer in front of the CORS layer (e.g. Django's CommonMiddleware above CorsMiddleware, a trailing-slash rule in the proxy), so CORS never sees it. A browser checks CORS on every hop and stops here.`,
            evidence: [...evidence, `Location: ${location}`, sightingLine(target)],
            fixSummary: `Call ${location} directly (the exact URL, trailing slash included), and put the CORS layer in front of whatever sends the redirect.`,
            probes: [target.source],
          },
        ];
      return [
        {
          id: 'missing-allow-origin',
          severity: 'error',
          detail: `The server answered with a ${status} redirect to ${location}, and the redirect itself has no Access-Control-Allow-Origin. A browser checks CORS on every redirect hop, so it stops here. Call the final URL directly (scheme, host, trailing slash), or send the CORS headers on the redirect too.`,
          evidence: [...evidence, `Location: ${location}`],
          fixSummary: `Call ${location} directly, or add the CORS headers to the redirect response.`,
          probes: [],
        },
      ];
    }
    if (others.lines.length > 0 || hasCorsSignals(res.headers)) return [notOnList(ctx, evidence, others)];
    const cached = cachedRefusal(ctx, res.headers);
    if (cached !== undefined) return [cached];
    const pre = pagePre ?? mine.find((s) => s.exchange.request.purpose === 'preflight');
    if (pre !== undefined) {
      return [
        {
          id: 'missing-allow-origin',
          severity: 'error',
          detail: `The ${where}${by} has no Access-Control-Allow-Origin, though ${pre.source === 'page' ? 'its preflight got one' : 'a preflight to the same URL gets one'} (${sightingLine(pre)}): the CORS layer answers OPTIONS for this URL, but the actual responses do not go through it (CORS applied to OPTIONS only, to another method's route, or registered after the routes).`,
          evidence: [...evidence, sightingLine(pre)],
          fixSummary: 'Add the CORS headers to every response of this route, not only to the OPTIONS answer.',
          probes: pre.source === 'page' ? [] : [pre.source],
        },
      ];
    }
    return [
      {
        id: 'missing-allow-origin',
        severity: 'error',
        detail:
          status >= 400
            ? `The ${where} was a ${status}${by} without Access-Control-Allow-Origin, and no probe found CORS headers for any origin. Either CORS is not configured for this route, or it is and this error path skips it (mistake 4).`
            : `The ${where}${by} has no Access-Control-Allow-Origin, and no probe found CORS headers for any origin: CORS is not configured for this route.`,
        evidence,
      },
    ];
  }

  // The preflight has no Allow-Origin. The split preflights say whether its method or its headers
  // were refused; a simple request accepted from this origin says the CORS layer handles the URL.
  const headers = unsafeHeaderNames(req);
  const method = req.method.toUpperCase();
  const methodOnly = passedPreflight(ctx, 'preflight-method-only');
  const headersOnly = passedPreflight(ctx, 'preflight-headers-only');
  const refusal = `The preflight got ${status}${by} without CORS headers`;
  if (methodOnly !== undefined && headersOnly === undefined)
    return [
      refusedHeaders(
        `${refusal}, while the same preflight without the request headers passes (${sightingLine(methodOnly)})`,
        headers,
        evidence,
        [methodOnly.source],
      ),
    ];
  if (headersOnly !== undefined && methodOnly === undefined)
    return [
      refusedMethod(
        `${refusal}, while the same headers on a GET pass (${sightingLine(headersOnly)})`,
        method,
        evidence,
        [headersOnly.source],
      ),
    ];
  const simpleOk = mine.find((s) => s.exchange.request.purpose === 'actual');
  if (simpleOk !== undefined) {
    const anon = ctx.probes.get('simple-anonymous');
    const anonAnswer = anon === undefined ? undefined : responseOf(lastExchange(anon));
    const anonAccepted = anon !== undefined && originAnswer(anon, origin).kind !== 'none';
    const authFirst =
      (status === 401 || status === 403) &&
      anon !== undefined &&
      !anonAccepted &&
      anonAnswer !== undefined &&
      (anonAnswer.status === 401 || anonAnswer.status === 403);
    const refusedOk = `${refusal}, while ${sightingLine(simpleOk)}`;
    if (authFirst) {
      return [
        {
          id: 'preflight-failed-status',
          severity: 'error',
          detail: `${refusedOk}, and an anonymous one is refused ${anonAnswer!.status} without them too: authentication runs before CORS. A preflight never carries cookies or Authorization, so it must be answered before any authentication (this is also mistake 4's ordering problem).`,
          evidence: [
            ...evidence,
            sightingLine(simpleOk),
            `anonymous: ${describeWithOrigin(lastExchange(anon!)!)}`,
          ],
          fixSummary:
            'Put the CORS layer before authentication, so OPTIONS is answered (2xx with the CORS headers) without credentials.',
          probes: [simpleOk.source, 'simple-anonymous'],
        },
      ];
    }
    // A preflight answer that grants the method and headers but lacks Allow-Origin was written by
    // something that only half does CORS (an nginx \`if\` block whose add_header lines replace the
    // location's): not a refusal.
    const acam = listItems(headerValue(res.headers, 'access-control-allow-methods')).map((m) =>
      m.toUpperCase(),
    );
    const acah = listItems(headerValue(res.headers, 'access-control-allow-headers')).map((h) =>
      h.toLowerCase(),
    );
    const granted =
      (acam.length > 0 || acah.length > 0) &&
      (isSafelistedMethod(method) || acam.includes(method) || acam.includes('*')) &&
      headers.every((h) => acah.includes(h) || acah.includes('*'));
    // The CORS layer saw this preflight (its Vary, or a refusal status) and refused what it asks for.
    const refusedByCors =
      !granted &&
      (hasCorsSignals(res.headers) || status === 403 || (anonAccepted && (status === 401 || status === 403)));
    if (refusedByCors) {
      const probes = [simpleOk.source];
      const ev = [...evidence, sightingLine(simpleOk)];
      if (isSafelistedMethod(method) && headers.length > 0)
        return [refusedHeaders(refusedOk, headers, ev, probes)];
      if (!isSafelistedMethod(method) && headers.length === 0)
        return [refusedMethod(refusedOk, method, ev, probes)];
      if (!isSafelistedMethod(method))
        return [
          {
            ...refusedMethod(refusedOk, method, ev, probes),
            detail: `${refusedOk}: the CORS layer refused this preflight, for its method ${method} or its headers (${headers.join(', ')}), and answers without any CORS header, so the browser can only say the Allow-Origin is missing. Allow both.`,
            fixSummary: `Allow ${method} and the request headers ${headers.join(', ')} in the CORS configuration.`,
          },
        ];
    }
    return [
      {
        id: 'preflight-failed-status',
        severity: 'error',
        detail: granted
          ? `${refusedOk}: the preflight answer grants the method and headers but carries no Access-Control-Allow-Origin, so it is written by something other than the layer that answers the actual requests (e.g. an nginx \`if ($request_method = OPTIONS)\` block whose own add_header lines replace the location's, or a proxy's own OPTIONS answer).`
          : `${refusedOk}: the CORS layer handles this URL but never sees its OPTIONS request, which ${by ? by.replace(/^ \(answered by /, '').replace(/\)$/, '') : 'something in front of it'} answers by itself (CORS applied per route or per method, a proxy's own OPTIONS answer, a route with no OPTIONS handler).${isOkStatus(status) && headerValue(res.headers, 'allow') === undefined ? ` (The other reading: the CORS layer refused the preflight silently, as rack-cors does, because ${isSafelistedMethod(method) ? 'a request header' : `${method}${headers.length > 0 ? ' or a request header' : ''}`} is not allowed.)` : ''}`,
        evidence: [...evidence, sightingLine(simpleOk)],
        fixSummary:
          'Let the CORS layer answer OPTIONS for this route (register it for every method, before routing and authentication; in a proxy, add the CORS headers to its own OPTIONS answer too).',
        probes: [simpleOk.source],
      },
    ];
  }

  if (others.lines.length > 0 || hasCorsSignals(res.headers)) return [notOnList(ctx, evidence, others)];
  if (status === 401 || status === 403) {
    return [
      {
        id: 'preflight-failed-status',
        severity: 'error',
        detail: `The preflight got a ${status}${by} without CORS headers: authentication runs before CORS (or no CORS layer is configured: no probe found CORS headers either). A preflight never carries cookies or Authorization, so it must be answered before any authentication (this is also mistake 4's ordering problem).`,
        evidence,
        fixSummary:
          'Put the CORS layer before authentication, so OPTIONS is answered (2xx with the CORS headers) without credentials.',
      },
    ];
  }
  if (!isOkStatus(status)) {
    return [
      {
        id: 'preflight-failed-status',
        severity: 'error',
        detail: `The preflight (OPTIONS) got a ${status}${by} without CORS headers: nothing handles OPTIONS for this route${status === 404 || status === 405 ? ' (the router has no OPTIONS handler)' : ''}. Chrome reports the missing Access-Control-Allow-Origin because it checks that before the status.`,
        evidence,
      },
    ];
  }
  const allow = headerValue(res.headers, 'allow');
  return [
    {
      id: 'missing-allow-origin',
      severity: 'error',
      detail:
        `The ${where}${by} has no Access-Control-Allow-Origin, and no probe found CORS headers for any origin: CORS is not configured for this route.` +
        (allow !== undefined
          ? ` The framework answered OPTIONS by itself (Allow: ${allow}), as routers do when no CORS layer handles it.`
          : ''),
      evidence: allow !== undefined ? [...evidence, `Allow: ${allow}`] : evidence,
    },
  ];
}

/**
 * The page got a stored answer without Allow-Origin (cached for a request without Origin, or for a
 * refused origin) while the server itself answers this origin at a busted URL: mistake 6.
 */
function cachedRefusal(ctx: DiagnosisContext, headers: HeaderList): RuleFinding | undefined {
  const origin = ctx.input.request.origin;
  const hit = cacheHitLines(headers);
  const bust = ctx.probes.get('cache-bust');
  if (hit.length === 0 || bust === undefined) return undefined;
  const fresh = originAnswer(bust, origin);
  if (fresh.kind !== 'reflected' || fresh.exchange === undefined) return undefined;
  const ex = lastExchange(ctx.main)!;
  return {
    id: 'missing-vary-origin',
    severity: 'error',
    detail: `The response has no Access-Control-Allow-Origin and was served from a cache (${hit.join(', ')}), while the same request with a query no cache has stored gets Access-Control-Allow-Origin: ${origin}. The cache stored an answer made for another Origin (or for none) because the server's answers do not all carry Vary: Origin, and hands it to this origin until it expires.`,
    evidence: [describeWithOrigin(ex), ...hit, `cache-busting query → ${describeWithOrigin(fresh.exchange)}`],
    fixSummary:
      'Send Vary: Origin on every response of a URL whose CORS headers depend on the Origin, refused and Origin-less ones included (and purge the cache once).',
    probes: ['cache-bust'],
  };
}

/** The redirect's target, probed directly (the trailing-slash variant), when it accepted the origin. */
function redirectTarget(ctx: DiagnosisContext, from: string, location: string): Sighting | undefined {
  let target: string;
  try {
    target = new URL(location, from).href;
  } catch {
    return undefined;
  }
  return sightings(ctx, ['slash-variant']).find(
    (s) => s.source === 'slash-variant' && s.accepted && s.exchange.request.url === target,
  );
}

function notOnList(
  ctx: DiagnosisContext,
  evidence: string[],
  others: { lines: string[]; probes: string[] },
): RuleFinding {
  const origin = ctx.input.request.origin;
  return {
    id: 'origin-not-allowed',
    severity: 'error',
    detail: `The server does CORS (${others.lines.length > 0 ? 'it answers other origins' : 'the response carries other CORS headers'}) but not for '${origin}', and no near-miss of it (scheme, www., port, trailing slash, case) is accepted either: the origin is simply not on the allow-list.${others.lines.length === 0 ? ' (No probe origin was accepted either, so the other reading is a CORS layer that never sends Access-Control-Allow-Origin at all; the fix is the same header.)' : ''}`,
    evidence: [...evidence, ...others.lines.slice(0, 3)],
    fixSummary: `Add exactly '${origin}' to the allow-list.`,
    probes: others.probes.slice(0, 3),
  };
}

function refusedHeaders(
  refusal: string,
  headers: string[],
  evidence: string[],
  probes: string[],
): RuleFinding {
  return {
    id: 'header-not-allowed',
    severity: 'error',
    detail: `${refusal}: the CORS layer refuses the request header${headers.length > 1 ? 's' : ''} ${headers.join(', ')} and answers without any CORS header, so the browser can only say the Allow-Origin is missing.`,
    evidence,
    fixSummary: `Add ${headers.map((h) => `'${h}'`).join(', ')} to the allowed request headers.`,
    probes,
  };
}

function refusedMethod(refusal: string, method: string, evidence: string[], probes: string[]): RuleFinding {
  return {
    id: 'method-not-allowed',
    severity: 'error',
    detail: `${refusal}: the CORS layer refuses the method ${method} and answers without any CORS header, so the browser can only say the Allow-Origin is missing.`,
    evidence,
    fixSummary: `Add ${method} to the allowed methods.`,
    probes,
  };
}

function mismatchFromProbe(
  near: { origin: string; label: string; evidence: string; probe: string },
  origin: string,
  evidence: string[],
): RuleFinding {
  return {
    id: 'origin-mismatch',
    severity: 'error',
    detail: `The server rejects '${origin}' but accepts '${near.origin}' (${near.label}): your allow-list probably holds '${near.origin}', a near miss of the origin the browser sends.`,
    evidence: [...evidence, near.evidence],
    fixSummary: `Replace '${near.origin}' with exactly '${origin}' in the allow-list.`,
    probes: [near.probe],
  };
}
