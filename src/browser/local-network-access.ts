/**
 * Local Network Access (WICG Local Network Access explainer, https://wicg.github.io/local-network-access/;
 * Chromium services/network/url_loader.cc + private_network_access_checker.cc and
 * public/mojom/ip_address_space.mojom): since Chrome 141 a page in a more public address space that
 * reaches a less public one needs a permission, decided on connection, before any CORS header is read.
 *
 * As recorded against Debian's Chromium 156 (test/browser/lna-chromium.test.ts, with
 * `--ip-address-space-overrides` so every socket stays on loopback):
 * - a `targetAddressSpace` fetch option that does not match the address the socket reached fails first,
 *   as InvalidLocalNetworkAccess, whatever the page's space and the permission (even public → public);
 * - only a public page is gated: public → local needs `local-network`, public → loopback needs
 *   `loopback-network` (two permissions); a local page calling loopback is NOT gated in Chromium 156;
 * - not granted (prompt in a headless run, or denied): LocalNetworkAccessPermissionDenied with an empty
 *   failedParameter, before anything is sent, also for a simple GET and for mode `no-cors`;
 * - granted: plain CORS decides; the retired Private Network Access preflight
 *   (`Access-Control-Request-Private-Network`) is never sent.
 *
 * Not modelled: the secure-context requirement (InsecureLocalNetwork; the recorded pages are loopback,
 * hence secure), iframes' `allow="local-network"`, navigations and subresources other than fetch/XHR.
 */

export type AddressSpace = 'public' | 'local' | 'loopback';
export const ADDRESS_SPACES: readonly AddressSpace[] = ['public', 'local', 'loopback'];
export type LnaPermission = 'granted' | 'denied' | 'prompt';
export const LNA_PERMISSIONS: readonly LnaPermission[] = ['granted', 'denied', 'prompt'];
/** The permission a target space needs (Permissions API names, also the CDP/BiDi descriptor names). */
export type LnaPermissionName = 'local-network' | 'loopback-network';

/** How public a space is: a request from a lower rank to a higher rank goes "more private". */
const RANK: Record<AddressSpace, number> = { public: 0, local: 1, loopback: 2 };

function ipv4(host: string): [number, number, number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number) as [number, number, number, number];
  return parts.every((p) => p <= 255) ? parts : null;
}

/**
 * The address space of a host as Chromium's IPAddressToIPAddressSpace classifies its address; a host
 * name other than `localhost`/`*.localhost` or a `.local` (mDNS) name is assumed public, since the
 * model resolves nothing (pass the real space where it is known: `check` uses the connected address).
 */
export function addressSpaceOfHost(hostInput: string): AddressSpace {
  const host = hostInput
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (host.endsWith('.local')) return 'local';
  const v4 = ipv4(host) ?? ipv4(host.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = v4;
    if (a === 127) return 'loopback';
    if (a === 0) return 'local'; // 0.0.0.0/8 reaches the host itself on Linux; Chromium treats it as non-public
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'local';
    if (a === 169 && b === 254) return 'local';
    if (a === 100 && b >= 64 && b <= 127) return 'local';
    return 'public';
  }
  if (host === '::1') return 'loopback';
  if (host === '::') return 'local';
  if (/^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host)) return 'local';
  return 'public';
}

/** The address space of a URL's host (`null` for an unparsable URL). */
export function addressSpaceOfUrl(url: string): AddressSpace | null {
  try {
    return addressSpaceOfHost(new URL(url).hostname);
  } catch {
    return null;
  }
}

/** The space of the page from its serialized origin; an opaque origin (`null`) counts as public. */
export function addressSpaceOfOrigin(origin: string): AddressSpace {
  if (origin === 'null') return 'public';
  return addressSpaceOfUrl(origin) ?? 'public';
}

/** Does a request from `page` to `target` need the LNA permission (Chromium 156: only from public)? */
export function isGated(page: AddressSpace, target: AddressSpace): boolean {
  return page === 'public' && RANK[target] > RANK[page];
}

export function permissionNameFor(target: AddressSpace): LnaPermissionName {
  return target === 'loopback' ? 'loopback-network' : 'local-network';
}

/** What the model needs to apply LNA to one fetch. */
export interface LocalNetworkContext {
  /** The page's address space (Chromium: the address the document was loaded from). */
  page: AddressSpace;
  /** The space of each URL's server; default `addressSpaceOfUrl` (IP literals and localhost). */
  spaceOf?: (url: string) => AddressSpace;
  /**
   * The permission's state for the page's origin; a fresh profile has `prompt` (unanswered: refused).
   * One state for both permissions, or each (`local-network`, `loopback-network`) on its own.
   */
  permission: LnaPermission | Partial<Record<LnaPermissionName, LnaPermission>>;
}

/** The state of the permission a request to `target` needs (a missing entry is `prompt`). */
export function permissionStateFor(ctx: LocalNetworkContext, target: AddressSpace): LnaPermission {
  return typeof ctx.permission === 'string'
    ? ctx.permission
    : (ctx.permission[permissionNameFor(target)] ?? 'prompt');
}

export type LnaDecision =
  | { ok: true; target: AddressSpace; gated: boolean }
  | {
      ok: false;
      target: AddressSpace;
      gated: boolean;
      error: 'InvalidLocalNetworkAccess' | 'LocalNetworkAccessPermissionDenied';
      /** The console line's reason (after "has been blocked by CORS policy: "). */
      reason: string;
      detail: string;
    };

/** The LNA decision for one connection to `url` (each redirect hop and the preflight are checked too). */
export function decideLocalNetworkAccess(
  ctx: LocalNetworkContext,
  url: string,
  targetAddressSpace: AddressSpace | undefined,
): LnaDecision {
  const target = ctx.spaceOf?.(url) ?? addressSpaceOfUrl(url) ?? 'public';
  const gated = isGated(ctx.page, target);
  if (targetAddressSpace !== undefined && targetAddressSpace !== target) {
    return {
      ok: false,
      target,
      gated,
      error: 'InvalidLocalNetworkAccess',
      reason: `Request had a target IP address space of \`${targetAddressSpace}\` yet the resource is in address space \`${target}\`.`,
      detail: `fetch() said targetAddressSpace '${targetAddressSpace}' but the server is in the ${target} address space: Chromium refuses the mismatch before sending anything`,
    };
  }
  const permission = permissionStateFor(ctx, target);
  if (gated && permission !== 'granted') {
    return {
      ok: false,
      target,
      gated,
      error: 'LocalNetworkAccessPermissionDenied',
      reason: `Permission was denied for this request to access the \`${target}\` address space.`,
      detail: `a ${ctx.page} page reaching the ${target} address space needs the '${permissionNameFor(target)}' permission (state: ${permission}): Chromium refuses before sending anything, whatever the CORS headers`,
    };
  }
  return { ok: true, target, gated };
}

/** What `check --json` reports as `browser.localNetworkAccess`. */
export interface LocalNetworkAccessReport {
  page: AddressSpace;
  target: AddressSpace;
  permission: LnaPermission;
  /** Chrome asks for the permission for this request (public page, more private target). */
  gated: boolean;
}
