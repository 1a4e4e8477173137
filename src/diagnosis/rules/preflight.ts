/**
 * Mistake 3 once the preflight did accept the origin: its status, a redirect, or the method / header
 * lists (Fetch §4.8 CORS-preflight fetch steps 7–8; Chromium preflight_controller.cc and
 * preflight_result.cc: PreflightInvalidStatus, PreflightDisallowedRedirect, MethodDisallowed… /
 * HeaderDisallowedByPreflightResponse, InvalidAllowMethods… / InvalidAllowHeadersPreflightResponse).
 * `*` with credentials is left to the wildcard rule, Access-Control-* request headers to their own rule.
 */
import {
  corsLines,
  describe,
  headerLines,
  headerValue,
  lastExchange,
  listItems,
  responseOf,
} from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const preflight: Rule = {
  name: 'preflight',
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    const ex = lastExchange(main);
    const res = responseOf(ex);
    if (ex === undefined || res === undefined) return [];
    const evidence = [describe(ex), ...corsLines(res.headers)];
    const withCredentials = ctx.input.request.credentials === 'include';
    // Allowed today only because Chromium lets `*` cover Authorization (the model's trace says so).
    const authStar = main.trace.find(
      (t) => t.step === 'preflight.authorization-wildcard' && t.outcome === 'pass',
    );
    if (main.allowed && authStar !== undefined) {
      const pre = main.exchanges.find((x) => x.request.purpose === 'preflight');
      const preRes = responseOf(pre);
      return [
        {
          id: 'header-not-allowed',
          severity: 'warning',
          detail: `Authorization is allowed only through Access-Control-Allow-Headers: *. Chromium accepts that today, but the Fetch Standard says '*' never covers Authorization and Firefox follows it: the request fails there, and in Chromium once it conforms.`,
          evidence: pre && preRes ? [describe(pre), ...corsLines(preRes.headers)] : evidence,
          fixSummary:
            "List 'authorization' by name in Access-Control-Allow-Headers (next to '*' if you keep it).",
        },
      ];
    }
    switch (main.corsError) {
      case 'PreflightInvalidStatus': {
        const s = res.status;
        const why =
          s === 401 || s === 403
            ? 'authentication answers the OPTIONS request (a preflight never carries credentials) after the CORS headers were set'
            : s === 404 || s === 405
              ? 'the router has no OPTIONS handler for this route, though a CORS layer added its headers'
              : `the server answers OPTIONS with ${s}`;
        return [
          {
            id: 'preflight-failed-status',
            severity: 'error',
            detail: `The preflight carries the CORS headers but its status is ${s}, not 2xx: ${why}.`,
            evidence,
          },
        ];
      }
      case 'PreflightDisallowedRedirect': {
        const location = headerValue(res.headers, 'location') ?? '(no Location)';
        return [
          {
            id: 'preflight-redirect',
            severity: 'error',
            detail: `The preflight was answered with a ${res.status} redirect to ${location}; browsers never follow a redirect on a preflight. Call the final URL directly.`,
            evidence: [describe(ex), `Location: ${location}`],
            fixSummary: `Call ${location} directly (or stop redirecting OPTIONS for this route).`,
          },
        ];
      }
      case 'MethodDisallowedByPreflightResponse':
      case 'InvalidAllowMethodsPreflightResponse': {
        const acam = headerValue(res.headers, 'access-control-allow-methods');
        const items = listItems(acam);
        if (withCredentials && items.includes('*')) return [];
        const method = main.failedParameter || ctx.input.request.method;
        const caseOnly = items.some((m) => m !== method && m.toUpperCase() === method.toUpperCase());
        const detail =
          main.corsError === 'InvalidAllowMethodsPreflightResponse'
            ? `Access-Control-Allow-Methods '${acam ?? ''}' does not parse as a list of method tokens, so the preflight fails.`
            : caseOnly
              ? `The page sends '${method}', and the preflight lists it only in another case; Chrome compares methods case-sensitively (only GET, HEAD, POST, DELETE, OPTIONS, PUT are upper-cased by fetch). Send '${method.toUpperCase()}'.`
              : `'${method}' is not in Access-Control-Allow-Methods${acam === undefined ? ' (the header is absent)' : ` ('${acam}')`}.`;
        return [
          {
            id: 'method-not-allowed',
            severity: 'error',
            detail,
            evidence,
            fixSummary: caseOnly
              ? `Write the method in upper case in the page ('${method.toUpperCase()}').`
              : `Add ${method.toUpperCase()} to Access-Control-Allow-Methods.`,
          },
        ];
      }
      case 'HeaderDisallowedByPreflightResponse':
      case 'InvalidAllowHeadersPreflightResponse': {
        const acah = headerValue(res.headers, 'access-control-allow-headers');
        const items = listItems(acah).map((h) => h.toLowerCase());
        const header = main.failedParameter.toLowerCase();
        if (header.startsWith('access-control-')) return [];
        if (withCredentials && items.includes('*')) return [];
        let detail: string;
        if (main.corsError === 'InvalidAllowHeadersPreflightResponse') {
          detail = `Access-Control-Allow-Headers '${acah ?? ''}' does not parse as a list of header names, so the preflight fails.`;
        } else if (header === 'authorization' && items.includes('*')) {
          detail = `Access-Control-Allow-Headers is '*', which does not cover Authorization: it must be listed by name.`;
        } else if (header === 'content-type') {
          detail = `The request's Content-Type (e.g. application/json) is not one of the three a simple request may carry, so it is preflighted, and the preflight does not list content-type in Access-Control-Allow-Headers${acah === undefined ? ' (the header is absent)' : ` ('${acah}')`}.`;
        } else {
          detail = `The request header '${header}' is not listed in Access-Control-Allow-Headers${acah === undefined ? ' (the header is absent)' : ` ('${acah}')`}.`;
        }
        if (headerLines(res.headers, 'access-control-allow-headers').length > 1)
          detail += ' (The header came in several lines; they are read as one list.)';
        return [
          {
            id: 'header-not-allowed',
            severity: 'error',
            detail,
            evidence,
            fixSummary: header ? `Add '${header}' to Access-Control-Allow-Headers.` : undefined,
          },
        ];
      }
      default:
        return [];
    }
  },
};
