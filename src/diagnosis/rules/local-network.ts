/**
 * Chrome's Local Network Access (browser-truth.md §5): a page from a public address fetching a private
 * address needs a secure context and the user's permission (a prompt since Chrome 142). Decided here
 * from the URL's host when it is a private IP literal, and from the model's LNA CorsErrors.
 * When `check` inferred the LNA state (`input.localNetwork`, from --origin, the address the host
 * resolves to and the --lna/--page-address-space/--target-address-space flags) that decides instead:
 * a refusal the reported verdict includes is an error with the fix; a public page reaching a loopback
 * copy of the API (local testing of a production configuration) is not a finding (the CLI notes it).
 */
import { isLoopbackHost, isPrivateIpHost, originParts } from '../origins.ts';
import type { Rule, RuleFinding } from '../types.ts';

export const localNetwork: Rule = {
  name: 'local-network-access',
  detect(ctx): RuleFinding[] {
    const { request } = ctx.input;
    const lna = ctx.input.localNetwork;
    if (lna) {
      if (!lna.blocked || !lna.applied) return [];
      const permission = lna.target === 'loopback' ? 'loopback-network' : 'local-network';
      const mismatch = request.targetAddressSpace !== undefined && request.targetAddressSpace !== lna.target;
      return [
        {
          id: 'local-network-access',
          severity: 'error',
          detail: mismatch
            ? `fetch() says targetAddressSpace '${request.targetAddressSpace}' but the API is in the ${lna.target} address space: Chrome refuses the mismatch before sending anything. Fix: targetAddressSpace: '${lna.target}', or drop the option.`
            : `Chrome (141 and later) refuses this before sending anything: a ${lna.page} page (${request.origin}) reaching the ${lna.target} address space needs the '${permission}' permission (now: ${lna.permission}), whatever the CORS headers say. Fix: let the user grant it (an iframe needs allow="${permission}"; declare the call with fetch(url, { targetAddressSpace: '${lna.target}' }), which an https page needs to reach an http device), or serve the page from a ${lna.target === 'loopback' ? 'loopback or local' : 'local'} origin (e.g. http://localhost:…) while developing. The CORS verdict once granted is reported too (--lna granted checks it alone).`,
          evidence: [
            `page ${request.origin}: ${lna.page} address space`,
            `API ${request.url}: ${lna.target} address space`,
            `permission '${permission}': ${lna.permission}`,
          ],
        },
      ];
    }
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
