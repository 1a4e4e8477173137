/**
 * Chrome's Local Network Access (browser-truth.md §5): a page from a public address fetching a private
 * address needs a secure context and the user's permission (a prompt since Chrome 142). Decided here
 * from the URL's host when it is a private IP literal, and from the model's LNA CorsErrors.
 * Deliberately not reported: a loopback API with a public origin — that is how a local copy of a
 * production server is checked (as DESIGN.md says for localhost-allowed), and names are not resolved.
 */
import { isLoopbackHost, isPrivateIpHost, originParts } from '../origins.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const localNetwork: Rule = {
  name: 'local-network-access',
  detect(ctx): RuleFinding[] {
    const { request } = ctx.input;
    const err = ctx.main.corsError;
    const lnaError =
      err === 'InsecureLocalNetwork' ||
      err === 'InvalidLocalNetworkAccess' ||
      err === 'LocalNetworkAccessPermissionDenied';
    let host: string;
    try {
      host = new URL(request.url).hostname;
    } catch {
      return [];
    }
    const page = originParts(request.origin);
    const pagePublic = page !== undefined && !isLoopbackHost(page.host) && !isPrivateIpHost(page.host);
    if (!lnaError && !(pagePublic && isPrivateIpHost(host))) return [];
    const secure = request.origin.startsWith('https://');
    return [
      {
        id: 'local-network-access',
        severity: lnaError || !secure ? 'error' : 'warning',
        detail: lnaError
          ? `Chrome blocked the request under Local Network Access (${err}): a page from a more public address reached for ${host}.`
          : secure
            ? `The page (${request.origin}) is on a public address and the API (${host}) on a private one: Chrome asks the user for local-network permission first, and if they decline the fetch fails like a CORS error.`
            : `The page (${request.origin}) is on a public address and not a secure context, and the API (${host}) is on a private one: Chrome blocks such requests outright.`,
        evidence: [`page origin ${request.origin}`, `API host ${host}`],
      },
    ];
  },
};
