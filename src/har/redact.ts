/**
 * Privacy: a HAR holds session cookies, bearer tokens, API keys and response bodies. `redactHar` returns
 * a copy fit for a bug report (every secret replaced, the CORS headers and statuses kept, so the copy
 * diagnoses the same); `shortSecret` is how reports show a secret (its start and length, never all).
 */

/** Header names whose values are credentials. */
export const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-csrf-token|x-xsrf-token|x-amz-security-token|x-goog-api-key)$/i;
/** Query and form parameter names whose values are credentials. */
export const SECRET_PARAM =
  /^(access_token|id_token|refresh_token|token|auth|key|api_key|apikey|code|session|sessionid|sid|sig|signature|password|pass|secret|client_secret|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

export const REDACTED = '[redacted]';

/** `Bearer eyJhbGciOi…(212 chars)`: enough to recognise, not enough to use. */
export function shortSecret(value: string): string {
  if (value.length <= 8) return `…(${value.length} chars)`;
  const keep = Math.min(12, Math.floor(value.length / 3));
  return `${value.slice(0, keep)}…(${value.length} chars)`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function redactUrl(url: string): { url: string; changed: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, changed: 0 };
  }
  let changed = 0;
  for (const [k] of [...u.searchParams]) {
    if (SECRET_PARAM.test(k)) {
      u.searchParams.set(k, REDACTED);
      changed++;
    }
  }
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
    changed++;
  }
  return { url: changed > 0 ? u.href : url, changed };
}

function redactHeaders(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  for (const h of list) {
    if (isObject(h) && typeof h['name'] === 'string' && SECRET_HEADER.test(h['name'])) {
      h['value'] = REDACTED;
      n++;
    }
    if (isObject(h) && typeof h['name'] === 'string' && /^(referer|location)$/i.test(h['name'])) {
      const r = redactUrl(String(h['value'] ?? ''));
      h['value'] = r.url;
      n += r.changed;
    }
  }
  return n;
}

function redactCookies(list: unknown): number {
  if (!Array.isArray(list)) return 0;
  for (const c of list) if (isObject(c)) c['value'] = REDACTED;
  return list.length;
}

export interface Redacted {
  har: unknown;
  /** How many values were replaced, by kind. */
  counts: { headers: number; cookies: number; params: number; bodies: number };
}

/** A deep copy of the HAR document with every secret replaced. Bodies (request and response) are dropped. */
export function redactHar(doc: unknown): Redacted {
  const har = structuredClone(doc);
  const counts = { headers: 0, cookies: 0, params: 0, bodies: 0 };
  const log = isObject(har) && isObject(har['log']) ? har['log'] : null;
  const entries = log && Array.isArray(log['entries']) ? log['entries'] : [];
  if (log && Array.isArray(log['pages'])) {
    for (const p of log['pages']) {
      if (isObject(p) && typeof p['title'] === 'string') {
        const r = redactUrl(p['title']);
        p['title'] = r.url;
        counts.params += r.changed;
      }
    }
  }
  for (const e of entries) {
    if (!isObject(e)) continue;
    for (const side of ['request', 'response'] as const) {
      const m = e[side];
      if (!isObject(m)) continue;
      counts.headers += redactHeaders(m['headers']);
      counts.cookies += redactCookies(m['cookies']);
      if (typeof m['url'] === 'string') {
        const r = redactUrl(m['url']);
        m['url'] = r.url;
        counts.params += r.changed;
      }
      if (typeof m['redirectURL'] === 'string') m['redirectURL'] = redactUrl(m['redirectURL']).url;
      if (Array.isArray(m['queryString']))
        for (const q of m['queryString'])
          if (isObject(q) && typeof q['name'] === 'string' && SECRET_PARAM.test(q['name'])) {
            q['value'] = REDACTED;
            counts.params++;
          }
      // Bodies carry personal data and tokens in shapes no list can know: the CORS analysis needs none.
      const post = m['postData'];
      if (isObject(post) && (post['text'] !== undefined || post['params'] !== undefined)) {
        post['text'] = REDACTED;
        delete post['params'];
        counts.bodies++;
      }
      const content = m['content'];
      if (isObject(content) && typeof content['text'] === 'string') {
        content['text'] = '';
        delete content['encoding'];
        counts.bodies++;
      }
    }
    const init = e['_initiator'];
    if (isObject(init) && typeof init['url'] === 'string') init['url'] = redactUrl(init['url']).url;
  }
  return { har, counts };
}
