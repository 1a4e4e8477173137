/**
 * `check --fetch "<DevTools 'Copy as fetch'>"`: the page's request from a pasted fetch() call. The text is
 * parsed with acorn and only literal values are read (strings, numbers, booleans, null, template strings
 * without substitutions, object literals with literal keys); it is never evaluated, so a pasted
 * expression cannot run. Both DevTools flavours are understood: the browser one (`referrer`, `mode`,
 * `credentials` options) and the Node.js one (cookie and referer inside `headers`).
 */
import { parse as acornParse } from 'acorn';
import type { CredentialsMode, HeaderLine, RequestMode } from '../../browser/types.ts';
import { PasteError } from './curl.ts';
import { fromPreflight, originOfReferrer, type PastedRequest, sortHeaders } from './pasted.ts';

// acorn's ESTree nodes, as far as this walker reads them.
interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

type Literal = string | number | boolean | null | { [key: string]: Literal } | Literal[];

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** The literal value of a node, or a PasteError naming where a non-literal sits. */
function literal(node: Node, text: string): Literal {
  switch (node.type) {
    case 'Literal': {
      const v = node['value'];
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      break;
    }
    case 'TemplateLiteral': {
      const exprs = node['expressions'] as Node[];
      const quasis = node['quasis'] as { value: { cooked: string | null } }[];
      if (exprs.length === 0 && quasis.length === 1) return quasis[0]!.value.cooked ?? '';
      break;
    }
    case 'ObjectExpression': {
      const out: { [key: string]: Literal } = {};
      for (const p of node['properties'] as Node[]) {
        if (p.type !== 'Property' || p['computed'] || p['kind'] !== 'init') break;
        const key = p['key'] as Node;
        const name = key.type === 'Identifier' ? (key['name'] as string) : literal(key, text);
        if (typeof name !== 'string' && typeof name !== 'number')
          throw new PasteError(`unreadable --fetch: a property name at ${position(text, key.start)}`);
        out[String(name)] = literal(p['value'] as Node, text);
      }
      if (Object.keys(out).length === (node['properties'] as Node[]).length) return out;
      break;
    }
    case 'ArrayExpression':
      return (node['elements'] as (Node | null)[]).map((e) => (e ? literal(e, text) : null));
    case 'UnaryExpression':
      if (node['operator'] === '-' && (node['argument'] as Node).type === 'Literal') {
        const v = literal(node['argument'] as Node, text);
        if (typeof v === 'number') return -v;
      }
      break;
  }
  throw new PasteError(
    `unreadable --fetch: only literal values are read, not code (found ${node.type} at ${position(text, node.start)})`,
  );
}

/** Find the first `fetch(…)` call (also `window.fetch`, `await fetch`, `fetch(…).then(…)`). */
function findFetchCall(node: unknown): Node | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as Node;
  if (n.type === 'CallExpression') {
    const callee = n['callee'] as Node;
    const isFetch =
      (callee.type === 'Identifier' && callee['name'] === 'fetch') ||
      (callee.type === 'MemberExpression' &&
        !callee['computed'] &&
        (callee['property'] as Node)['name'] === 'fetch');
    if (isFetch) return n;
  }
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = findFetchCall(item);
        if (found) return found;
      }
    } else if (value && typeof value === 'object') {
      const found = findFetchCall(value);
      if (found) return found;
    }
  }
  return undefined;
}

const CREDENTIALS = ['omit', 'same-origin', 'include'];
const MODES = ['cors', 'no-cors', 'same-origin'];

export function parseFetch(text: string): PastedRequest {
  if (text.trim() === '') throw new PasteError('the --fetch text is empty; paste DevTools "Copy as fetch"');
  let program: unknown;
  try {
    program = acornParse(text, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
    });
  } catch (err) {
    throw new PasteError(
      `unreadable --fetch: it is not valid JavaScript (${err instanceof Error ? err.message : String(err)}); paste DevTools "Copy as fetch"`,
    );
  }
  const call = findFetchCall(program);
  if (!call)
    throw new PasteError('unreadable --fetch: no fetch(…) call found; paste DevTools "Copy as fetch"');
  const args = call['arguments'] as Node[];
  if (args.length === 0) throw new PasteError('unreadable --fetch: fetch() has no URL');
  const url = literal(args[0]!, text);
  if (typeof url !== 'string') throw new PasteError('unreadable --fetch: the URL is not a string');
  const init = args[1] ? literal(args[1], text) : {};
  if (init === null || typeof init !== 'object' || Array.isArray(init))
    throw new PasteError('unreadable --fetch: the second argument is not an options object');

  const lines: HeaderLine[] = [];
  const h = init['headers'];
  if (Array.isArray(h)) {
    for (const pair of h) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && pair[1] !== undefined)
        lines.push([pair[0], String(pair[1])]);
    }
  } else if (h && typeof h === 'object') {
    for (const [name, value] of Object.entries(h)) {
      if (value !== null && typeof value !== 'object') lines.push([name, String(value)]);
    }
  }
  const notes: string[] = [];
  const sorted = sortHeaders(lines);
  let method = typeof init['method'] === 'string' ? init['method'] : 'GET';
  let headers = sorted.own;
  const announced = fromPreflight(method, sorted.acrm, sorted.acrh);
  if (announced) {
    method = announced.method;
    headers = announced.headers;
    notes.push('a copied preflight: checking the request it announced');
  }
  const referrer = typeof init['referrer'] === 'string' ? init['referrer'] : sorted.referer;
  const origin = sorted.origin ?? originOfReferrer(referrer);
  const out: PastedRequest = { url, method, headers, notes };
  if (origin !== undefined) out.origin = origin;
  if (announced) out.preflight = true;
  const credentials = init['credentials'];
  if (typeof credentials === 'string' && CREDENTIALS.includes(credentials)) {
    out.credentials = credentials as CredentialsMode;
    // Chrome and Firefox write credentials: "include" whenever the request carried cookies or an
    // Authorization header (their generateFetchCall), not from the page's own fetch() options.
    if (credentials === 'include' && headers.some(([n]) => n.toLowerCase() === 'authorization'))
      notes.push(
        "DevTools writes credentials: 'include' for any request with an Authorization header; if the page's fetch() did not ask for credentials, add --credentials same-origin",
      );
  } else if (sorted.cookie !== undefined) out.credentials = 'include';
  const mode = init['mode'];
  if (typeof mode === 'string' && MODES.includes(mode)) out.mode = mode as RequestMode;
  if (sorted.cookie !== undefined) out.cookie = sorted.cookie;
  if (typeof init['body'] === 'string') {
    out.body = init['body'];
    // fetch's own default for a string body (Fetch "extract a body"), when the script names no type.
    if (!announced && !headers.some(([n]) => n.toLowerCase() === 'content-type'))
      headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
  }
  return out;
}
