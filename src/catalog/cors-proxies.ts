/**
 * Public CORS proxies (mistake 11): free services that re-send a request from their own server and add
 * permissive CORS headers. Known by host name; the list is the well-known ones, as data.
 */
export const PUBLIC_CORS_PROXY_HOSTS: readonly string[] = [
  'allorigins.win',
  'api.allorigins.win',
  'api.codetabs.com',
  'api.cors.lol',
  'cors-anywhere.com',
  'cors-anywhere.herokuapp.com',
  'cors-proxy.htmldriven.com',
  'cors.bridged.cc',
  'cors.eu.org',
  'cors.io',
  'cors.sh',
  'corsproxy.github.io',
  'corsproxy.io',
  'corsproxy.org',
  'crossorigin.me',
  'jsonp.afeld.me',
  'proxy.cors.sh',
  'thingproxy.freeboard.io',
  'whateverorigin.org',
  'yacdn.org',
];

/** The proxy host a URL goes through (the host itself, a subdomain of it, or any `cors-anywhere` host), or null. */
export function publicCorsProxyHost(url: string | undefined): string | null {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  const hit = PUBLIC_CORS_PROXY_HOSTS.find((p) => host === p || host.endsWith(`.${p}`));
  if (hit !== undefined) return hit;
  return /(^|\.)cors-?anywhere\b/.test(host) ? host : null;
}
