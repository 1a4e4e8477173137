/**
 * Reads a contract (YAML, or JSON, which YAML 1.2 reads too) with every node's position, and validates it
 * all at once: every problem is listed with its line, column and the fix, so one run shows the whole
 * list (issue 16: exit 2, nothing is sent). Pure: the CLI reads the file and hands the text here.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import type { CredentialsMode } from '../browser/types.ts';
import { FINDING_IDS, type FindingId, isFindingId } from '../catalog/ids.ts';
import { checkContractOrigin } from './origin.ts';
import type {
  Contract,
  ContractEndpoint,
  ContractIgnore,
  ContractProblem,
  ParseResult,
  Position,
} from './types.ts';

const ROOT_KEYS = ['$schema', 'version', 'base', 'defaults', 'endpoints', 'ignore'];
const ENDPOINT_KEYS = [
  'name',
  'url',
  'method',
  'headers',
  'credentials',
  'data',
  'cookie',
  'allow',
  'deny',
  'expose',
];
const IGNORE_KEYS = ['finding', 'endpoint', 'reason'];
const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers a script cannot set (Fetch's forbidden request-headers), with what the contract says instead. */
const FORBIDDEN_HEADERS: Record<string, string> = {
  origin: 'the browser sets Origin itself: list the page origins under allow and deny',
  cookie: 'a script cannot set Cookie: give the cookie the browser holds as cookie: "session=…"',
  host: 'the browser sends the URL’s host: remove it',
  'content-length': 'the browser computes Content-Length from data: remove it',
  connection: 'a script cannot set Connection: remove it',
  referer: 'the browser sets Referer: remove it',
  'access-control-request-method': 'the browser sends the preflight itself: give the method as method:',
  'access-control-request-headers': 'the browser sends the preflight itself: list the headers under headers:',
};

/** Levenshtein distance, for "did you mean" on keys and finding ids. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of choices) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

interface Raw {
  name?: string;
  url?: string;
  urlAt?: Position;
  method?: string;
  headers?: [string, string][];
  credentials?: CredentialsMode;
  data?: string;
  cookie?: string;
  allow?: { origin: string; at: Position }[];
  deny?: { origin: string; at: Position }[];
  expose?: string[];
}

export interface ParseOptions {
  /** Overrides the contract's base (`test --base`: the same contract against staging and production). */
  base?: string;
}

export function parseContract(text: string, options: ParseOptions = {}): ParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: ContractProblem[] = [];
  const at = (node: unknown): Position => {
    const range = (node as Node | null | undefined)?.range;
    const { line, col } = lc.linePos(range ? range[0] : 0);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const problem = (where: Position, path: string, message: string, fix: string): void => {
    problems.push({ line: where.line, column: where.column, path, message, fix });
  };
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    problems.push({
      line: p.line,
      column: p.col,
      path: '',
      message: e.message.split('\n')[0]!,
      fix: 'correct the YAML syntax (indent with spaces, quote values that contain ": " or start with * & ! {)',
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const root = doc.contents;
  if (!isMap(root)) {
    problem(
      at(root),
      '',
      'the contract is not a mapping',
      'start with version: 1 and endpoints: (see docs/ci.md)',
    );
    return { ok: false, problems };
  }

  /** The map's pairs by key, with unknown keys reported (and a near key suggested). */
  const pairsOf = (map: YAMLMap, path: string, known: readonly string[]): Map<string, Node | null> => {
    const out = new Map<string, Node | null>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        problem(at(pair.key), path, 'a key that is not a plain word', `use one of: ${known.join(', ')}`);
        continue;
      }
      if (!known.includes(key)) {
        const near = closest(key, known);
        problem(
          at(pair.key),
          path ? `${path}.${key}` : key,
          `unknown field '${key}'`,
          near ? `did you mean '${near}'?` : `use one of: ${known.join(', ')}`,
        );
        continue;
      }
      out.set(key, (pair.value as Node | null) ?? null);
    }
    return out;
  };

  const scalarString = (node: Node | null, path: string, what: string): string | undefined => {
    if (
      isScalar(node) &&
      (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean')
    )
      return String(node.value);
    problem(at(node), path, `${what} must be a string`, `write ${path.split('.').at(-1)}: <text>`);
    return undefined;
  };

  const originList = (node: Node | null, path: string): { origin: string; at: Position }[] => {
    const items = isSeq(node) ? (node.items as (Node | null)[]) : [node];
    const out: { origin: string; at: Position }[] = [];
    items.forEach((item, i) => {
      const p = isSeq(node) ? `${path}[${i}]` : path;
      if (isScalar(item) && item.value === null) {
        problem(
          at(item),
          p,
          'YAML reads an unquoted null (or an empty item) as no value',
          'write the opaque origin in quotes: "null"',
        );
        return;
      }
      const text = scalarString(item, p, 'an origin');
      if (text === undefined) return;
      const c = checkContractOrigin(text);
      if (!c.ok) problem(at(item), p, c.message, c.fix);
      else out.push({ origin: c.origin, at: at(item) });
    });
    return out;
  };

  const readFields = (map: YAMLMap, path: string, known: readonly string[]): Raw => {
    const raw: Raw = {};
    for (const [key, node] of pairsOf(map, path, known)) {
      const p = `${path}.${key}`;
      switch (key) {
        case 'name':
        case 'url':
        case 'data':
        case 'cookie': {
          const v = scalarString(node, p, key);
          if (v === undefined) break;
          if (key === 'url') {
            raw.url = v;
            raw.urlAt = at(node);
          } else if (key === 'cookie' && /[\r\n]/.test(v))
            problem(at(node), p, 'the cookie has a line break', 'write it on one line: "a=1; b=2"');
          else raw[key] = v;
          break;
        }
        case 'method': {
          const v = scalarString(node, p, 'method');
          if (v === undefined) break;
          if (!TOKEN.test(v))
            problem(at(node), p, `'${v}' is not an HTTP method`, 'write e.g. GET, PUT, DELETE');
          else raw.method = /^(get|head|post|put|delete|options|patch)$/i.test(v) ? v.toUpperCase() : v;
          break;
        }
        case 'credentials': {
          const v = scalarString(node, p, 'credentials');
          if (v === undefined) break;
          if ((CREDENTIALS as readonly string[]).includes(v)) raw.credentials = v as CredentialsMode;
          else
            problem(
              at(node),
              p,
              `credentials '${v}' is not a fetch credentials mode`,
              `write one of ${CREDENTIALS.join(', ')}${v === 'true' ? ' (true in XHR is include)' : ''}`,
            );
          break;
        }
        case 'headers': {
          if (!isMap(node)) {
            problem(at(node), p, 'headers must be a mapping', 'write headers: { Authorization: Bearer x }');
            break;
          }
          const list: [string, string][] = [];
          for (const pair of node.items) {
            const name = isScalar(pair.key) ? String(pair.key.value) : '';
            const hp = `${p}.${name}`;
            if (!TOKEN.test(name)) {
              problem(
                at(pair.key),
                hp,
                `'${name}' is not a header name`,
                'write Name: value, e.g. Authorization: Bearer x',
              );
              continue;
            }
            const forbidden = FORBIDDEN_HEADERS[name.toLowerCase()];
            if (forbidden !== undefined) {
              problem(at(pair.key), hp, `a page cannot send ${name}`, forbidden);
              continue;
            }
            const value = pair.value as Node | null;
            if (!isScalar(value) || value.value === null || typeof value.value === 'object') {
              problem(at(value ?? pair.key), hp, `header ${name} needs a value`, `write ${name}: <value>`);
              continue;
            }
            const v = String(value.value);
            if (/[\r\n\0]/.test(v))
              problem(at(value), hp, `header ${name} has a line break`, 'write it on one line');
            else list.push([name, v.trim()]);
          }
          raw.headers = list;
          break;
        }
        case 'allow':
        case 'deny':
          raw[key] = originList(node, p);
          break;
        case 'expose': {
          const items = isSeq(node) ? (node.items as (Node | null)[]) : [node];
          raw.expose = [];
          items.forEach((item, i) => {
            const ip = isSeq(node) ? `${p}[${i}]` : p;
            const v = scalarString(item, ip, 'a header name');
            if (v === undefined) return;
            if (!TOKEN.test(v))
              problem(at(item), ip, `'${v}' is not a header name`, 'write e.g. X-Request-ID');
            else raw.expose!.push(v);
          });
          break;
        }
      }
    }
    return raw;
  };

  const fields = pairsOf(root, '', ROOT_KEYS);
  const versionNode = fields.get('version');
  if (versionNode === undefined)
    problem(at(root), 'version', 'the contract has no version', 'add version: 1 at the top');
  else if (!(isScalar(versionNode) && Number(versionNode.value) === 1))
    problem(at(versionNode), 'version', 'this contract version is not known', 'write version: 1');

  let base: string | undefined;
  const baseNode = fields.get('base');
  if (baseNode !== undefined) {
    const v = scalarString(baseNode, 'base', 'base');
    if (v !== undefined) {
      let u: URL | undefined;
      try {
        u = new URL(v);
      } catch {}
      if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
        problem(
          at(baseNode),
          'base',
          `base '${v}' is not an absolute http(s) URL`,
          'write e.g. base: https://api.example.com',
        );
      else base = u.href;
    }
  }

  if (options.base !== undefined) base = options.base;

  let defaults: Raw = {};
  const defaultsNode = fields.get('defaults');
  if (defaultsNode !== undefined) {
    if (!isMap(defaultsNode))
      problem(
        at(defaultsNode),
        'defaults',
        'defaults must be a mapping',
        'write defaults: { credentials: include }',
      );
    else
      defaults = readFields(
        defaultsNode,
        'defaults',
        ENDPOINT_KEYS.filter((k) => k !== 'name'),
      );
  }

  const endpoints: ContractEndpoint[] = [];
  const names: { name: string; line: number }[] = [];
  const endpointsNode = fields.get('endpoints');
  if (!isSeq(endpointsNode) || endpointsNode.items.length === 0)
    problem(
      at(endpointsNode ?? root),
      'endpoints',
      endpointsNode === undefined ? 'the contract has no endpoints' : 'endpoints must be a non-empty list',
      'add endpoints: with at least one - url: …, allow: [...] item',
    );
  else
    (endpointsNode.items as (Node | null)[]).forEach((item, index) => {
      const path = `endpoints[${index}]`;
      const where = at(item);
      if (!isMap(item)) {
        problem(where, path, 'an endpoint must be a mapping', 'write - url: /path with allow: and deny:');
        return;
      }
      const own = readFields(item, path, ENDPOINT_KEYS);
      const m: Raw = { ...defaults, ...own };
      // Headers add up: the defaults' (e.g. Authorization) plus the endpoint's own, which win by name.
      const ownNames = new Set((own.headers ?? []).map(([n]) => n.toLowerCase()));
      m.headers = [
        ...(defaults.headers ?? []).filter(([n]) => !ownNames.has(n.toLowerCase())),
        ...(own.headers ?? []),
      ];
      // A bad URL is one problem; the rest of the endpoint is still checked, so one run lists them all.
      const resolveUrl = (): URL | undefined => {
        if (m.url === undefined) {
          problem(
            where,
            `${path}.url`,
            'the endpoint has no url',
            'add url: /api/… (relative to base) or an absolute URL',
          );
          return undefined;
        }
        let url: URL | undefined;
        try {
          url = new URL(m.url, base);
        } catch {}
        const urlAt = own.urlAt ?? m.urlAt ?? where;
        if (!url)
          problem(
            urlAt,
            `${path}.url`,
            `url '${m.url}' is relative and the contract has no ${baseNode === undefined ? 'base' : 'valid base'}`,
            `add base: https://api.example.com at the top, or write the absolute URL`,
          );
        else if (url.protocol !== 'http:' && url.protocol !== 'https:')
          problem(
            urlAt,
            `${path}.url`,
            `url '${m.url}' is not http(s)`,
            'CORS applies to http:// and https:// URLs only',
          );
        else if (url.username !== '' || url.password !== '')
          problem(
            urlAt,
            `${path}.url`,
            'the url holds a user or password (fetch refuses such a URL)',
            'remove them and send an Authorization header under headers:',
          );
        else return url;
        return undefined;
      };
      const url = resolveUrl();
      const method = m.method ?? 'GET';
      if (m.data !== undefined && (method === 'GET' || method === 'HEAD'))
        problem(
          where,
          `${path}.data`,
          `a ${method} request cannot have a body (fetch throws a TypeError)`,
          'remove data, or set method: POST (or PUT, PATCH)',
        );
      const allow = m.allow ?? [];
      const deny = m.deny ?? [];
      // Only when none were written: a list whose every origin is wrong has its own problems already.
      if (m.allow === undefined && m.deny === undefined)
        problem(
          where,
          path,
          'the endpoint expects nothing',
          'add allow: [origins that must work] and/or deny: [origins that must not]',
        );
      for (const d of deny)
        if (allow.some((a) => a.origin === d.origin))
          problem(
            d.at,
            `${path}.deny`,
            `${d.origin} is both allowed and denied`,
            'keep it in one of allow or deny',
          );
      const expose = m.expose ?? [];
      if (expose.length > 0 && allow.length === 0)
        problem(
          where,
          `${path}.expose`,
          'expose needs an allowed origin to read from',
          'add allow: [the page origin]',
        );
      const headers = m.headers;
      if (m.data !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type'))
        // fetch sends a string body as text/plain;charset=UTF-8 when the script names no type.
        headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
      const name = own.name ?? `${method} ${m.url ?? ''}`;
      const twin = names.find((n) => n.name === name);
      if (twin)
        problem(
          where,
          `${path}.name`,
          `the name '${name}' is used twice (also line ${twin.line})`,
          'give each endpoint its own name:',
        );
      names.push({ name, line: where.line });
      if (url === undefined) return;
      const ep: ContractEndpoint = {
        name,
        url: url.href,
        method,
        headers,
        credentials: m.credentials ?? 'same-origin',
        allow: [...new Set(allow.map((a) => a.origin))],
        deny: [...new Set(deny.map((d) => d.origin))],
        expose: [...new Set(expose)],
        index,
        line: where.line,
        column: where.column,
      };
      if (m.data !== undefined) ep.data = m.data;
      if (m.cookie !== undefined) ep.cookie = m.cookie;
      endpoints.push(ep);
    });

  const ignore: ContractIgnore[] = [];
  const ignoreNode = fields.get('ignore');
  if (ignoreNode !== undefined && !(isScalar(ignoreNode) && ignoreNode.value === null)) {
    if (!isSeq(ignoreNode))
      problem(
        at(ignoreNode),
        'ignore',
        'ignore must be a list',
        'write ignore: with - finding: …, reason: … items',
      );
    else
      (ignoreNode.items as (Node | null)[]).forEach((item, i) => {
        const path = `ignore[${i}]`;
        const where = at(item);
        if (!isMap(item)) {
          problem(where, path, 'an ignore entry must be a mapping', 'write - finding: <id>, reason: <why>');
          return;
        }
        const f = pairsOf(item, path, IGNORE_KEYS);
        const idNode = f.get('finding');
        const id = idNode === undefined ? undefined : scalarString(idNode, `${path}.finding`, 'finding');
        if (idNode === undefined)
          problem(
            where,
            `${path}.finding`,
            'the entry names no finding',
            'add finding: <id>, e.g. missing-vary-origin',
          );
        else if (id !== undefined && !isFindingId(id)) {
          const near = closest(id, FINDING_IDS);
          problem(
            at(idNode),
            `${path}.finding`,
            `'${id}' is not a finding id`,
            near ? `did you mean '${near}'?` : 'use an id from docs/mistakes/README.md',
          );
        }
        const reasonNode = f.get('reason');
        const reason =
          reasonNode === undefined ? undefined : scalarString(reasonNode, `${path}.reason`, 'reason');
        if (reason === undefined || reason.trim() === '')
          problem(
            reasonNode ? at(reasonNode) : where,
            `${path}.reason`,
            'an accepted finding needs a reason',
            'add reason: <why this is on purpose>, so the next reader knows',
          );
        const epNode = f.get('endpoint');
        const epName =
          epNode === undefined ? undefined : scalarString(epNode, `${path}.endpoint`, 'endpoint');
        if (epName !== undefined && names.length > 0 && !names.some((e) => e.name === epName)) {
          const near = closest(
            epName,
            names.map((e) => e.name),
          );
          problem(
            at(epNode),
            `${path}.endpoint`,
            `no endpoint is named '${epName}'`,
            near ? `did you mean '${near}'?` : 'name one of the endpoints, or leave endpoint out for all',
          );
        }
        if (id !== undefined && isFindingId(id) && reason !== undefined && reason.trim() !== '') {
          const entry: ContractIgnore = {
            finding: id as FindingId,
            reason,
            line: where.line,
            column: where.column,
          };
          if (epName !== undefined) entry.endpoint = epName;
          ignore.push(entry);
        }
      });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, problems };
  }
  const contract: Contract = { version: 1, endpoints, ignore };
  if (base !== undefined) contract.base = base;
  return { ok: true, contract };
}
