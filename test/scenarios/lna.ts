/**
 * Local Network Access scenarios (issue 14 §1), run by test/browser/lna-chromium.test.ts in a Chromium
 * launched with `--ip-address-space-overrides` for the scenario server's ports, and through the model
 * with the same spaces and permissions. Every socket stays on loopback: "public" and "private" are what
 * Chromium is told the loopback ports are.
 *
 * Sources: the WICG explainer (https://github.com/WICG/local-network-access/blob/main/explainer.md)
 * and Chrome's LNA announcement (https://developer.chrome.com/blog/local-network-access: Chrome 141,
 * the permission prompt replaces the Private Network Access preflight). Every expectation below was
 * recorded in Chromium 156, which is the judge where the two differ.
 */
import type { Scenario, ScenarioCall } from './index.ts';

type H = [string, string];
type LNA = NonNullable<Scenario['lna']>;
const JSON_BODY = '{"ok":true}';

/** Page public; api stays loopback; third is private (`local`). */
const PUBLIC_PAGE: LNA['spaces'] = { page: 'public', third: 'private' };
/** Page private (`local`); api stays loopback. */
const LOCAL_PAGE: LNA['spaces'] = { page: 'private' };
/** Page private; api public (a mismatch test against a public server). */
const LOCAL_PAGE_PUBLIC_API: LNA['spaces'] = { page: 'private', api: 'public' };

const call = (over: Partial<ScenarioCall> = {}): ScenarioCall => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  path: '/data',
  ...over,
});
const r = (
  method: string,
  status: number,
  headers: H[],
  origin: 'api' | 'third' = 'api',
  path = '/data',
): Scenario['routes'][number] => ({
  origin,
  method,
  path,
  response: { status, headers, body: status === 204 || method === 'OPTIONS' ? '' : JSON_BODY },
});
const OPEN: H[] = [
  ['Content-Type', 'application/json'],
  ['Access-Control-Allow-Origin', '*'],
];
const PREFLIGHT_OK: H[] = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Methods', 'PUT'],
  ['Access-Control-Allow-Headers', 'content-type'],
];
const put = call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY });
const PROMPT: LNA['permissions'] = {};
const LOOPBACK_GRANTED: LNA['permissions'] = { 'loopback-network': 'granted' };
const LOCAL_GRANTED: LNA['permissions'] = { 'local-network': 'granted' };
const denied = (error: Scenario['expect']['corsError']) => ({
  allowed: false,
  corsError: error,
  preflight: false,
});

export const lnaScenarios: Scenario[] = [
  // ---- public page → loopback, permission not granted: refused before anything is sent --------------
  {
    name: 'lna-public-loopback-get-prompt',
    comment: 'A fresh profile (permission prompt, nobody answers): even an open simple GET is refused.',
    call: call(),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-no-acao-prompt',
    comment: 'LNA wins over a missing Access-Control-Allow-Origin: the console names the permission.',
    call: call(),
    routes: [r('GET', 200, [['Content-Type', 'application/json']])],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-form-post-prompt',
    comment: 'A form-encoded POST (no preflight) is refused too.',
    call: call({
      method: 'POST',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'a=1',
    }),
    routes: [r('POST', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-no-cors-prompt',
    comment: "mode: 'no-cors' is no way around it.",
    call: call({ mode: 'no-cors' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-put-prompt',
    comment: 'A preflighted PUT: not even the preflight goes out.',
    call: put,
    routes: [r('OPTIONS', 204, PREFLIGHT_OK), r('PUT', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-xhr-prompt',
    comment: 'The XMLHttpRequest form of the line.',
    call: call({ initiator: 'xhr' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-loopback-denied',
    comment: 'The user said no (permission denied): the same refusal.',
    call: call(),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: { 'loopback-network': 'denied' } },
  },
  {
    name: 'lna-public-loopback-wrong-permission',
    comment: '`local-network` granted does not cover a loopback server: the two permissions are separate.',
    call: call(),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: LOCAL_GRANTED },
  },
  // ---- public page → loopback, permission granted: plain CORS decides --------------------------------
  {
    name: 'lna-public-loopback-granted-get',
    comment: 'Granted: an open GET passes (DevTools still files an LNA issue for it).',
    call: call(),
    routes: [r('GET', 200, OPEN)],
    expect: { allowed: true, corsError: null, preflight: false },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-public-loopback-granted-no-acao',
    comment: 'Granted: now the missing Access-Control-Allow-Origin is what blocks (mistake 1).',
    mistake: 1,
    call: call(),
    routes: [r('GET', 200, [['Content-Type', 'application/json']])],
    expect: { allowed: false, corsError: 'MissingAllowOriginHeader', preflight: false },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-public-loopback-granted-put',
    comment:
      'Granted: the preflight carries no Access-Control-Request-Private-Network (the wire check would see it).',
    call: put,
    routes: [r('OPTIONS', 204, PREFLIGHT_OK), r('PUT', 200, OPEN)],
    expect: { allowed: true, corsError: null, preflight: true },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-public-loopback-granted-allow-private-network-changes-nothing',
    comment:
      'Access-Control-Allow-Private-Network: true on a preflight without Allow-Origin: still the CORS error.',
    mistake: 3,
    call: put,
    routes: [
      r('OPTIONS', 204, [
        ['Access-Control-Allow-Private-Network', 'true'],
        ['Access-Control-Allow-Methods', 'PUT'],
      ]),
      r('PUT', 200, OPEN),
    ],
    expect: { allowed: false, corsError: 'PreflightMissingAllowOriginHeader', preflight: true },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-public-loopback-granted-no-cors',
    comment: 'Granted, no-cors: an opaque response, as without LNA.',
    call: call({ mode: 'no-cors' }),
    routes: [r('GET', 200, [['Content-Type', 'application/json']])],
    expect: { allowed: true, corsError: null, preflight: false },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  // ---- targetAddressSpace --------------------------------------------------------------------------
  {
    name: 'lna-target-space-matches-granted',
    comment: "targetAddressSpace: 'loopback' to a loopback server, permission granted: allowed.",
    call: call({ targetAddressSpace: 'loopback' }),
    routes: [r('GET', 200, OPEN)],
    expect: { allowed: true, corsError: null, preflight: false },
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-target-space-matches-prompt',
    comment: 'A matching targetAddressSpace does not replace the permission.',
    call: call({ targetAddressSpace: 'loopback' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-target-space-mismatch-prompt',
    comment: "targetAddressSpace: 'local' to a loopback server: the mismatch is reported first.",
    call: call({ targetAddressSpace: 'local' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('InvalidLocalNetworkAccess'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-target-space-mismatch-granted',
    comment: 'The mismatch fails even with the permission granted.',
    call: call({ targetAddressSpace: 'local' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('InvalidLocalNetworkAccess'),
    lna: { spaces: PUBLIC_PAGE, permissions: { 'loopback-network': 'granted', 'local-network': 'granted' } },
  },
  // ---- public page → a private (local) server ------------------------------------------------------
  {
    name: 'lna-public-local-prompt',
    comment: 'A 192.168.x.y-style device (a private server): refused, the line names `local`.',
    call: call({ to: 'third' }),
    routes: [r('GET', 200, OPEN, 'third')],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-local-granted',
    comment: '`local-network` granted: the private server answers and CORS decides.',
    call: call({ to: 'third' }),
    routes: [r('GET', 200, OPEN, 'third')],
    expect: { allowed: true, corsError: null, preflight: false },
    lna: { spaces: PUBLIC_PAGE, permissions: LOCAL_GRANTED },
  },
  {
    name: 'lna-public-local-loopback-permission-only',
    comment: '`loopback-network` does not cover a private server.',
    call: call({ to: 'third' }),
    routes: [r('GET', 200, OPEN, 'third')],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  {
    name: 'lna-public-local-target-space-loopback',
    comment: "targetAddressSpace: 'loopback' to a private server: InvalidLocalNetworkAccess.",
    call: call({ to: 'third', targetAddressSpace: 'loopback' }),
    routes: [r('GET', 200, OPEN, 'third')],
    expect: denied('InvalidLocalNetworkAccess'),
    lna: { spaces: PUBLIC_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-redirect-loopback-to-local',
    comment:
      'Granted loopback only; the loopback API redirects to the private server: the new hop is gated on its own.',
    call: call(),
    routes: [
      r('GET', 302, [
        ['Location', '{third}{run}/data'],
        ['Access-Control-Allow-Origin', '*'],
      ]),
      r('GET', 200, OPEN, 'third'),
    ],
    expect: denied('LocalNetworkAccessPermissionDenied'),
    lna: { spaces: PUBLIC_PAGE, permissions: LOOPBACK_GRANTED },
  },
  // ---- a local page ---------------------------------------------------------------------------------
  {
    name: 'lna-local-page-loopback-get',
    comment: 'A page on a private address calling loopback: not gated in Chromium 156.',
    call: call(),
    routes: [r('GET', 200, OPEN)],
    expect: { allowed: true, corsError: null, preflight: false },
    lna: { spaces: LOCAL_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-local-page-loopback-no-acao',
    comment: 'A local page: CORS decides (mistake 1), no permission in play.',
    mistake: 1,
    call: call(),
    routes: [r('GET', 200, [['Content-Type', 'application/json']])],
    expect: { allowed: false, corsError: 'MissingAllowOriginHeader', preflight: false },
    lna: { spaces: LOCAL_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-local-page-target-space-local',
    comment: "A local page, targetAddressSpace: 'local' to a loopback server: still a mismatch.",
    call: call({ targetAddressSpace: 'local' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('InvalidLocalNetworkAccess'),
    lna: { spaces: LOCAL_PAGE, permissions: PROMPT },
  },
  {
    name: 'lna-public-server-target-space-loopback',
    comment: "targetAddressSpace: 'loopback' to a public server: a mismatch, though nothing is gated.",
    call: call({ targetAddressSpace: 'loopback' }),
    routes: [r('GET', 200, OPEN)],
    expect: denied('InvalidLocalNetworkAccess'),
    lna: { spaces: LOCAL_PAGE_PUBLIC_API, permissions: PROMPT },
  },
];
