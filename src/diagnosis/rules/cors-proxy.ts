/**
 * Mistake 11: the request goes through a public CORS proxy (a third party that sees every token and
 * answer, with no SLA). Known by host name; the list is the well-known free services.
 */
import type { Rule, RuleFinding } from '../types.ts';

const PROXY_HOSTS = [
  'cors-anywhere.herokuapp.com',
  'corsproxy.io',
  'api.allorigins.win',
  'allorigins.win',
  'thingproxy.freeboard.io',
  'cors.bridged.cc',
  'api.codetabs.com',
  'crossorigin.me',
  'cors-proxy.htmldriven.com',
  'proxy.cors.sh',
  'cors.sh',
  'yacdn.org',
  'cors.io',
  'jsonp.afeld.me',
  'corsproxy.org',
  'api.cors.lol',
  'cors.eu.org',
  'whateverorigin.org',
  'cors-anywhere.com',
  'corsproxy.github.io',
];

export function knownCorsProxy(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const hit = PROXY_HOSTS.find((p) => host === p || host.endsWith(`.${p}`));
  if (hit !== undefined) return hit;
  return /(^|\.)cors-?anywhere\b/.test(host) ? host : undefined;
}

export const corsProxy: Rule = {
  name: 'cors-proxy-in-use',
  detect(ctx): RuleFinding[] {
    const url = ctx.input.request.url;
    const host = knownCorsProxy(url);
    if (host === undefined) return [];
    const target = /https?:\/\/.*(https?:\/\/[^\s]+)$/i.exec(decodeURIComponentSafe(url))?.[1];
    return [
      {
        id: 'cors-proxy-in-use',
        severity: 'warning',
        detail: `The request goes through the public CORS proxy ${host}${target ? ` to reach ${target}` : ''}. It works around CORS by re-sending the request from its own server: it sees every token and answer, rate-limits, and can go away.`,
        evidence: [`URL: ${url}`],
        fixSummary: target
          ? `Configure CORS on ${originOf(target)} for your origin, or call it from your own back end; then drop the proxy.`
          : undefined,
      },
    ];
  },
};

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
