/**
 * The browser model: Chromium's CORS decisions and console lines as pure functions over plain data.
 * One module per spec concept; see each file's header for its Fetch Standard steps and Chromium
 * sources, and for what is deliberately not modelled (preflight cache, LNA prompts, cookies…).
 */

export type {
  BrowserCache,
  HttpCacheEntry,
  PreflightCacheEntry,
  PreflightCachePolicy,
} from './cache.ts';
export {
  CHROMIUM_PREFLIGHT_CACHE,
  emptyCache,
  FIREFOX_PREFLIGHT_CACHE,
  httpFreshness,
  sharedFreshness,
  varyNames,
  WEBKIT_PREFLIGHT_CACHE,
} from './cache.ts';
export type { AccessError, AccessResult } from './cors-check.ts';
export { checkAccess, decodeLatin1AsUtf8 } from './cors-check.ts';
export { caseFoldingHash, predictHeaderOrder } from './header-order.ts';
export { getHeader, getHeaderLines, hasHeader, splitList } from './headers.ts';
export type {
  AddressSpace,
  LnaDecision,
  LnaPermission,
  LnaPermissionName,
  LocalNetworkAccessReport,
  LocalNetworkContext,
} from './local-network-access.ts';
export {
  ADDRESS_SPACES,
  addressSpaceOfHost,
  addressSpaceOfOrigin,
  addressSpaceOfUrl,
  decideLocalNetworkAccess,
  isGated,
  LNA_PERMISSIONS,
  permissionNameFor,
  permissionStateFor,
} from './local-network-access.ts';
export type { ChromeMessageInput } from './messages/chromium.ts';
export {
  CORS_ENABLED_SCHEMES,
  chromeBody,
  chromeMessage,
  chromeNoCorsRedirectLine,
  chromeRefusedHeaderLine,
  chromeSameOriginModeLine,
  encodeHint,
} from './messages/chromium.ts';
export {
  checkMethod,
  isCorsSafelistedMethod,
  isForbiddenMethod,
  isToken,
  normalizeMethod,
} from './methods.ts';
export { nextRequestNotes, SECOND_ORIGIN } from './next-request.ts';
export type { ParsedOrigin, ParsedUrl } from './origin.ts';
export {
  fetchSite,
  parseOrigin,
  parseUrl,
  sameOrigin,
  sameOriginUrls,
  serializeOrigin,
  urlHasCredentials,
} from './origin.ts';
export type { PreflightResult } from './preflight.ts';
export {
  accessControlRequestHeaders,
  buildPreflight,
  CHROMIUM_WILDCARD_COVERS_AUTHORIZATION,
  checkPreflightResponse,
  isRedirect,
  needsPreflight,
  parseAllowList,
  preflightMaxAge,
} from './preflight.ts';
export { decideRedirect, REDIRECT_LIMIT, UNSAFE_REDIRECT_SCHEMES } from './redirects.ts';
export {
  applyPageHeaders,
  CHROMIUM_EXTRA_SAFELISTED_NAMES,
  corsUnsafeNotForbiddenRequestHeaderNames,
  corsUnsafeRequestHeaderNames,
  isCorsSafelistedContentType,
  isCorsSafelistedRequestHeader,
  isCorsUnsafeRequestHeaderByte,
  isForbiddenRequestHeader,
  isNoCorsSafelistedHeaderName,
  isSimpleRange,
  mimeEssence,
  parseRangeHeader,
} from './request-headers.ts';
export {
  exposedHeaderNames,
  readableHeaders,
  SAFELISTED_RESPONSE_HEADERS,
  unreadableHeaders,
} from './response-headers.ts';
export type { Classification, Prepared, PreparedRequest, SimulateOptions } from './simulate.ts';
export { buildActual, classifyRequest, prepareRequest, runSimulation, simulate } from './simulate.ts';
export * from './types.ts';
