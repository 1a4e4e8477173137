/**
 * JavaScript and TypeScript (also JSX/TSX and the `<script>` of .vue/.svelte/.html): parsed with
 * TypeScript's own parser (one parser for every dialect, error-tolerant, pure JS so it runs in a page),
 * then read for the catalog's mistakes:
 *  - front end: a public CORS proxy in a URL literal (11); Access-Control-* headers on a request made with
 *    fetch, Request, axios (calls, instances, defaults, interceptors), ky, superagent, $.ajax or
 *    XMLHttpRequest (12);
 *  - server: the options of cors / @koa/cors / hono/cors / @fastify/cors / NestJS enableCors (2, 7, 8,
 *    reflection, null, patterns), CORS mounted after authentication (4), hand-set headers (2, 6,
 *    reflection), substring and regex origin checks that an attacker's domain passes.
 * Only what is understood is reported: an options object built elsewhere, a list read from the
 * environment or a value computed at run time gives no finding.
 */
import ts from 'typescript';
import { publicCorsProxyHost } from '../catalog/cors-proxies.ts';
import { checkOrigin, DEV_GUARD, isDevFile, regexBypass, substringBypass } from './origins.ts';
import type { Hit, ScanStack } from './types.ts';

/** Files that cannot hold any of it are not parsed (most of a repository). */
const PREFILTER =
  /access-control|cors|origin|allorigins|thingproxy|codetabs|whateverorigin|yacdn|afeld|crossorigin|enableCors/i;

const ACA = /^access-control-/i;
// Middleware that can answer 401/403 itself (not sessions or routers: they do not refuse requests).
const AUTH = /auth|passport|jwt|protect|guard|verify(Token|User)|requireUser|requireLogin|bearer|apiKey/i;
const REQUEST_ORIGIN =
  /\b(req|request|ctx|c|event|r)\b(\.req)?(\.request)?\.(headers?\.origin\b|headers?\[\s*['"]origin['"]\s*\]|get\(\s*['"]origin['"]\s*\)|header\(\s*['"]origin['"]\s*\)|headers\.get\(\s*['"]origin['"]\s*\))/i;
const CONFIG_VALUE = /^(process\.env|import\.meta\.env|config|settings|env|CONFIG|ENV)\b/;

export interface JsScan {
  hits: Hit[];
  /** Where this file sets up CORS on a server (the first place), for the proxy-and-app duplicate check. */
  serverCors: number | null;
  /** The file was parsed (it passed the prefilter). */
  parsed: boolean;
}

type Lib = 'cors' | 'koa' | 'hono' | 'fastify' | 'nestjs' | 'cors-doctor';

const SERVER_MODULES: Record<string, ScanStack> = {
  express: 'express',
  connect: 'express',
  fastify: 'fastify',
  koa: 'koa',
  hono: 'hono',
  '@nestjs/core': 'nestjs',
  '@nestjs/common': 'nestjs',
  next: 'nextjs',
  'next/server': 'nextjs',
  http: 'node',
  'node:http': 'node',
  https: 'node',
  'node:https': 'node',
};

function scriptKind(path: string): ts.ScriptKind {
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(path)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JSX;
}

/** `<script>` bodies of a .vue/.svelte/.html file, everything else blanked so offsets and lines stay. */
export function extractScripts(text: string): { text: string; ts: boolean } {
  const out = text.replace(/[^\n]/g, ' ').split('');
  let isTs = false;
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const attrs = m[1] ?? '';
    if (
      /\bsrc\s*=/.test(attrs) ||
      /type\s*=\s*["']?(text\/template|application\/ld\+json|importmap)/i.test(attrs)
    )
      continue;
    if (/lang\s*=\s*["']?ts/i.test(attrs)) isTs = true;
    const start = m.index + m[0].indexOf('>') + 1;
    const body = m[2] ?? '';
    for (let i = 0; i < body.length; i++) out[start + i] = body[i]!;
  }
  return { text: out.join(''), ts: isTs };
}

export function scanJs(path: string, source: string): JsScan {
  const none: JsScan = { hits: [], serverCors: null, parsed: false };
  if (!PREFILTER.test(source)) return none;
  let text = source;
  let kind = scriptKind(path);
  if (/\.(vue|svelte|html?)$/i.test(path)) {
    const s = extractScripts(source);
    text = s.text;
    kind = s.ts ? ts.ScriptKind.TS : ts.ScriptKind.JSX;
    if (!PREFILTER.test(text)) return none;
  }
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  return new JsScanner(path, sf).run();
}

interface HeaderSite {
  name: string;
  value: ts.Expression | undefined;
  node: ts.Node;
  group: ts.Node;
}

class JsScanner {
  private readonly hits: Hit[] = [];
  /** Local name → module it was imported or required from. */
  private readonly imports = new Map<string, string>();
  /** Names bound to an axios/ky instance (`const api = axios.create()`). */
  private readonly clients = new Set<string>();
  /** Names bound to `new Headers(...)`. */
  private readonly headerVars = new Set<string>();
  private readonly consts = new Map<string, ts.Expression>();
  private readonly sites: HeaderSite[] = [];
  private readonly uses: { receiver: string; block: ts.Node; call: ts.CallExpression; cors: boolean }[] = [];
  private serverCors: number | null = null;
  private stack: ScanStack = 'browser';
  private readonly devFile: boolean;

  constructor(
    private readonly path: string,
    private readonly sf: ts.SourceFile,
  ) {
    this.devFile = isDevFile(path);
  }

  run(): JsScan {
    this.collect(this.sf);
    if (/(^|\/)next\.config\.[cm]?[jt]s$/.test(this.path)) this.stack = 'nextjs';
    this.visit(this.sf);
    this.checkOrder();
    this.checkSites();
    return { hits: this.hits, serverCors: this.serverCors, parsed: true };
  }

  // ---- pass 1: imports, consts, clients --------------------------------------------------------------

  private collect(node: ts.Node): void {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const mod = node.moduleSpecifier.text;
      const c = node.importClause;
      if (c?.name) this.imports.set(c.name.text, mod);
      const nb = c?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) this.imports.set(nb.name.text, mod);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) this.imports.set(e.name.text, mod);
      this.noteModule(mod);
    } else if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = node.initializer;
      const req = requireOf(init);
      if (req !== null) {
        this.noteModule(req);
        if (ts.isIdentifier(node.name)) this.imports.set(node.name.text, req);
        else if (ts.isObjectBindingPattern(node.name))
          for (const el of node.name.elements)
            if (ts.isIdentifier(el.name)) this.imports.set(el.name.text, req);
      }
      if (ts.isIdentifier(node.name)) {
        const name = node.name.text;
        const list = node.parent;
        if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const)
          this.consts.set(name, init);
        if (ts.isCallExpression(init) && /^(axios|ky)\.(create|extend)$/.test(init.expression.getText()))
          this.clients.add(name);
        if (ts.isNewExpression(init) && init.expression.getText() === 'Headers') this.headerVars.add(name);
      }
    }
    ts.forEachChild(node, (c) => this.collect(c));
  }

  private noteModule(mod: string): void {
    const s = SERVER_MODULES[mod] ?? (mod.startsWith('@nestjs/') ? 'nestjs' : undefined);
    if (!s) return;
    // The most specific framework wins over node:http (Express apps import both).
    if (this.stack === 'browser' || this.stack === 'node') this.stack = s;
  }

  private moduleOf(expr: ts.Expression): string | undefined {
    return ts.isIdentifier(expr) ? this.imports.get(expr.text) : undefined;
  }

  private resolve(expr: ts.Expression | undefined, depth = 0): ts.Expression | undefined {
    if (!expr) return undefined;
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))
      e = e.expression;
    if (ts.isIdentifier(e) && depth < 4) {
      const init = this.consts.get(e.text);
      return init ? this.resolve(init, depth + 1) : e;
    }
    return e;
  }

  // ---- pass 2 ------------------------------------------------------------------------------------------

  private visit(node: ts.Node): void {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node))
      this.checkProxy(node);
    else if (ts.isCallExpression(node)) this.checkCall(node);
    else if (ts.isNewExpression(node)) this.checkNew(node);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)
      this.checkAssignment(node);
    else if (ts.isObjectLiteralExpression(node)) this.checkHeaderObject(node);
    ts.forEachChild(node, (c) => this.visit(c));
  }

  private hit(id: Hit['id'], node: ts.Node, detail: string, extra: Partial<Hit> = {}): void {
    this.hits.push({
      id,
      start: node.getStart(this.sf),
      end: node.getEnd(),
      stack: this.stack,
      detail,
      ...extra,
    });
  }

  private checkProxy(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead): void {
    const t = node.text.trim();
    const url = t.startsWith('//') ? `https:${t}` : t;
    if (!/^https?:\/\//i.test(url)) return;
    const host = publicCorsProxyHost(url);
    if (!host) return;
    this.hit(
      'cors-proxy-in-use',
      node,
      `Requests go through the public CORS proxy ${host}: it sees every request and response, rate-limits, and can vanish or change at any time.`,
      { stack: 'browser' },
    );
  }

  /** Calls that send a request from the page, and where their options sit. */
  private requestOptions(call: ts.CallExpression | ts.NewExpression): ts.Expression[] {
    const callee = call.expression.getText(this.sf).replace(/\s+/g, '');
    const args = call.arguments ? [...call.arguments] : [];
    const base = callee.split('.')[0]!;
    const method = callee.split('.').slice(1).join('.');
    if (ts.isNewExpression(call)) return callee === 'Request' ? args.slice(1) : [];
    if (/^(window\.|globalThis\.|self\.)?fetch$/.test(callee)) return args.slice(1);
    if (base === 'axios' || this.clients.has(base) || this.imports.get(base) === 'axios') {
      if (method === '' || method === 'request' || method === 'create') return args;
      if (/^(get|delete|head|options)$/.test(method)) return args.slice(1);
      if (/^(post|put|patch|postForm|putForm|patchForm)$/.test(method)) return args.slice(2);
      return [];
    }
    if (base === 'ky' || this.imports.get(base) === 'ky') {
      if (method === '' || /^(get|post|put|patch|delete|head)$/.test(method)) return args.slice(1);
      if (/^(create|extend)$/.test(method)) return args;
      return [];
    }
    if (/^(\$|jQuery)\.(ajax|ajaxSetup|get|post|getJSON)$/.test(callee)) return args;
    return [];
  }

  private checkRequestHeaders(opts: ts.Expression): void {
    const o = this.resolve(opts);
    if (!o || !ts.isObjectLiteralExpression(o)) return;
    for (const p of o.properties) {
      if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
      if (propName(p) !== 'headers') continue;
      const value = this.resolve(ts.isPropertyAssignment(p) ? p.initializer : p.name);
      this.reportRequestHeaderKeys(value);
    }
  }

  private reportRequestHeaderKeys(value: ts.Expression | undefined): void {
    if (!value) return;
    let obj: ts.Expression | undefined = value;
    if (ts.isNewExpression(value) && value.expression.getText(this.sf) === 'Headers')
      obj = this.resolve(value.arguments?.[0]);
    if (obj && ts.isObjectLiteralExpression(obj)) {
      for (const q of obj.properties) {
        const n = ts.isPropertyAssignment(q) ? propName(q) : undefined;
        if (n && ACA.test(n)) this.requestHeader(q, n);
      }
    } else if (obj && ts.isArrayLiteralExpression(obj)) {
      for (const pair of obj.elements) {
        if (
          ts.isArrayLiteralExpression(pair) &&
          pair.elements[0] &&
          ts.isStringLiteralLike(pair.elements[0]) &&
          ACA.test(pair.elements[0].text)
        )
          this.requestHeader(pair, pair.elements[0].text);
      }
    }
  }

  private readonly reported = new Set<ts.Node>();
  private requestHeader(node: ts.Node, name: string): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    // A chained call (`request.get(url).set(…)`) is reported where the header is named, not where the chain starts.
    const at =
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name
        : node;
    this.hit(
      'cors-headers-in-request',
      at,
      `The request sets ${canonical(name)}: that is a response header, the browser and server ignore it on a request, and as a non-safelisted header it forces a preflight the server will likely refuse.`,
      { stack: 'browser' },
    );
  }

  private inRequestCall(node: ts.Node): boolean {
    for (let p = node.parent; p && p !== this.sf; p = p.parent) {
      if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && this.requestOptions(p).length > 0) return true;
      if (ts.isFunctionLike(p)) return false;
    }
    return false;
  }

  private checkNew(node: ts.NewExpression): void {
    for (const o of this.requestOptions(node)) this.checkRequestHeaders(o);
  }

  private checkCall(call: ts.CallExpression): void {
    for (const o of this.requestOptions(call)) this.checkRequestHeaders(o);
    const callee = call.expression;
    const args = call.arguments;
    const first = args[0];
    const firstText = first && ts.isStringLiteralLike(first) ? first.text : undefined;

    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const recv = callee.expression;
      // XMLHttpRequest
      if (method === 'setRequestHeader' && firstText && ACA.test(firstText)) {
        this.requestHeader(call, firstText);
        return;
      }
      // superagent chains: request.get(url).set('Access-Control-…', …)
      if (method === 'set' && this.chainRoot(recv) === 'superagent') {
        if (firstText && ACA.test(firstText)) this.requestHeader(call, firstText);
        else if (first && ts.isObjectLiteralExpression(first)) this.reportRequestHeaderKeys(first);
        return;
      }
      // new Headers() then .set/.append, or config.headers.set in an axios interceptor
      if ((method === 'set' || method === 'append') && firstText && ACA.test(firstText)) {
        const recvText = recv.getText(this.sf);
        if (
          (ts.isIdentifier(recv) && this.headerVars.has(recv.text) && this.stack === 'browser') ||
          (/\.headers$/.test(recvText) && this.inInterceptor(call))
        ) {
          this.requestHeader(call, firstText);
          return;
        }
      }
      // CORS middleware: Fastify register, NestJS enableCors, app.use order
      if (method === 'register' && first && this.moduleOf(first) === '@fastify/cors') {
        this.serverCorsAt(call);
        this.corsOptions(args[1], 'fastify', call);
      }
      if (method === 'enableCors') {
        this.stack = this.stack === 'browser' ? 'nestjs' : this.stack;
        this.serverCorsAt(call);
        if (args[0]) this.corsOptions(args[0], 'nestjs', call);
      }
      if (method === 'create' && recv.getText(this.sf) === 'NestFactory' && args[1]) {
        const o = this.resolve(args[1]);
        if (o && ts.isObjectLiteralExpression(o)) {
          const c = prop(o, 'cors');
          if (c) {
            this.serverCorsAt(call);
            if (ts.isObjectLiteralExpression(c) || ts.isIdentifier(c)) this.corsOptions(c, 'nestjs', call);
          }
        }
      }
      if (method === 'use') {
        const block = enclosingBlock(call);
        const cors = args.some((a) => this.isCorsMiddleware(a));
        this.uses.push({ receiver: recv.getText(this.sf), block, call, cors });
      }
      // Origin checks by substring: origin.endsWith('example.com')
      if (
        /^(endsWith|startsWith|includes|indexOf|match|search)$/.test(method) &&
        firstText &&
        this.isOriginValue(recv)
      ) {
        const why = substringBypass(method, firstText);
        if (why)
          this.hit('origin-pattern-bypass', call, `The origin check ${why}.`, {
            stack: this.stack === 'browser' ? 'node' : this.stack,
          });
      }
      if (method === 'test' && first && this.isOriginValue(first)) {
        const re = this.resolve(recv);
        if (re && ts.isRegularExpressionLiteral(re)) this.regexHit(re, call);
      }
      // Hand-set response headers.
      if (/^(setHeader|header|set|append)$/.test(method) && !this.inRequestCall(call)) {
        if (firstText && (ACA.test(firstText) || /^vary$/i.test(firstText)))
          this.sites.push({
            name: firstText.toLowerCase(),
            value: args[1],
            node: call,
            group: enclosingFunction(call),
          });
        else if (first && ts.isObjectLiteralExpression(first) && method === 'set')
          this.headerObjectSites(first);
      }
    }
    if (ts.isIdentifier(callee)) {
      const mod = this.imports.get(callee.text);
      const lib: Lib | undefined =
        mod === 'cors'
          ? 'cors'
          : mod === '@koa/cors' || mod === 'koa2-cors'
            ? 'koa'
            : mod === 'hono/cors'
              ? 'hono'
              : mod?.startsWith('cors-doctor')
                ? 'cors-doctor'
                : undefined;
      if (lib) {
        this.serverCorsAt(call);
        if (lib !== 'cors-doctor') this.corsOptions(args[0], lib, call);
      }
      if (callee.text === 'vary' && args[1])
        this.sites.push({ name: 'vary', value: args[1], node: call, group: enclosingFunction(call) });
    }
  }

  private isCorsMiddleware(a: ts.Expression): boolean {
    if (ts.isCallExpression(a) && ts.isIdentifier(a.expression)) {
      const m = this.imports.get(a.expression.text);
      return (
        m === 'cors' ||
        m === '@koa/cors' ||
        m === 'hono/cors' ||
        m === 'koa2-cors' ||
        !!m?.startsWith('cors-doctor')
      );
    }
    return ts.isIdentifier(a) && /cors/i.test(a.text);
  }

  private chainRoot(e: ts.Expression): string | undefined {
    let x: ts.Expression = e;
    while (ts.isCallExpression(x) || ts.isPropertyAccessExpression(x)) x = x.expression;
    return ts.isIdentifier(x) ? this.imports.get(x.text) : undefined;
  }

  private inInterceptor(node: ts.Node): boolean {
    for (let p = node.parent; p && p !== this.sf; p = p.parent)
      if (ts.isCallExpression(p) && /interceptors\.request\.use$/.test(p.expression.getText(this.sf)))
        return true;
    return false;
  }

  private isOriginValue(e: ts.Expression): boolean {
    const t = e.getText(this.sf);
    return /origin/i.test(t) && !CONFIG_VALUE.test(t) && t.length < 80;
  }

  private checkAssignment(node: ts.BinaryExpression): void {
    const left = node.left;
    let key: string | undefined;
    let obj: ts.Expression | undefined;
    if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression)) {
      key = left.argumentExpression.text;
      obj = left.expression;
    }
    if (!key || !obj || !ACA.test(key)) return;
    const objText = obj.getText(this.sf).replace(/\s+/g, '');
    // axios.defaults.headers.common[…] / api.defaults.headers[…] / config.headers[…] in a request interceptor
    if (/\.defaults\.headers\b/.test(objText) || (/\.headers$/.test(objText) && this.inInterceptor(node))) {
      this.requestHeader(node, key);
    }
  }

  /** Object literals keyed by response header names outside a request: a server setting headers. */
  private checkHeaderObject(node: ts.ObjectLiteralExpression): void {
    // next.config.js / route configs: { key: 'Access-Control-Allow-Origin', value: '*' }
    const k = prop(node, 'key');
    if (
      k &&
      ts.isStringLiteralLike(k) &&
      (ACA.test(k.text) || /^vary$/i.test(k.text)) &&
      prop(node, 'value')
    ) {
      this.serverCorsAt(node);
      this.sites.push({
        name: k.text.toLowerCase(),
        value: prop(node, 'value'),
        node,
        group: enclosingFunction(node),
      });
      return;
    }
    if (!node.properties.some((p) => ts.isPropertyAssignment(p) && ACA.test(propName(p) ?? ''))) return;
    if (this.inRequestCall(node) || this.reportedHeaderObject(node)) return;
    // Headers handed to a response: writeHead, new Response, NextResponse.json, res.set({…}), c.json(…, headers)
    const parentCall =
      node.parent && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))
        ? node.parent
        : node.parent?.parent;
    const ctx = parentCall?.getText(this.sf).slice(0, 60) ?? '';
    if (
      /writeHead|Response|\.json\(|\.set\(|\.headers?\(|\.send\(|\.text\(|\.body\(|return/.test(ctx) ||
      ts.isPropertyAssignment(node.parent) ||
      ts.isReturnStatement(node.parent) ||
      ts.isVariableDeclaration(node.parent)
    ) {
      if (this.stack === 'browser' && this.consumedByRequest(node)) return;
      this.headerObjectSites(node);
    }
  }

  private readonly headerObjects = new Set<ts.Node>();
  private reportedHeaderObject(node: ts.Node): boolean {
    return this.headerObjects.has(node);
  }

  /** A `const headers = {…}` in a front-end file that is later passed to a request: checked there. */
  private consumedByRequest(node: ts.ObjectLiteralExpression): boolean {
    const decl = node.parent;
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) return true;
    return ts.isPropertyAssignment(decl) && propName(decl) === 'headers';
  }

  private headerObjectSites(obj: ts.ObjectLiteralExpression): void {
    this.headerObjects.add(obj);
    for (const p of obj.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const n = propName(p);
      if (!n || !(ACA.test(n) || /^vary$/i.test(n))) continue;
      this.serverCorsAt(p);
      this.sites.push({ name: n.toLowerCase(), value: p.initializer, node: p, group: enclosingFunction(p) });
    }
  }

  private serverCorsAt(node: ts.Node): void {
    if (this.stack === 'browser') this.stack = 'node';
    this.serverCors ??= node.getStart(this.sf);
  }

  private guarded(node: ts.Node): boolean {
    if (this.devFile) return true;
    for (let p: ts.Node | undefined = node.parent; p && p !== this.sf; p = p.parent) {
      let cond: ts.Node | undefined;
      if (ts.isConditionalExpression(p)) cond = p.condition;
      else if (ts.isIfStatement(p)) cond = p.expression;
      else if (
        ts.isBinaryExpression(p) &&
        (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
          p.operatorToken.kind === ts.SyntaxKind.BarBarToken)
      )
        cond = p.left;
      else if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && /dev|local/i.test(p.name.text))
        return true;
      else if (ts.isPropertyAssignment(p) && /^(dev|development|local|test)$/i.test(propName(p) ?? ''))
        return true;
      if (cond && DEV_GUARD.test(cond.getText(this.sf))) return true;
    }
    return false;
  }

  private regexHit(re: ts.RegularExpressionLiteral, at: ts.Node): void {
    const src = re.text.slice(1, re.text.lastIndexOf('/'));
    const why = regexBypass(src);
    if (why) this.hit('origin-pattern-bypass', at, `The origin pattern ${re.text} can be bypassed: ${why}.`);
  }

  // ---- CORS middleware options ----------------------------------------------------------------------

  private corsOptions(arg: ts.Expression | undefined, lib: Lib, call: ts.Node): void {
    if (this.stack === 'browser' || this.stack === 'node')
      this.stack =
        lib === 'cors'
          ? 'express'
          : lib === 'nestjs'
            ? 'nestjs'
            : lib === 'cors-doctor'
              ? 'cors-doctor'
              : lib;
    const r = arg ? this.resolve(arg) : undefined;
    if (arg && (!r || !ts.isObjectLiteralExpression(r))) return; // built elsewhere: not understood
    const o = r && ts.isObjectLiteralExpression(r) ? r : undefined;
    const originKey = 'origin';
    const originNode = o ? prop(o, originKey) : undefined;
    const credNode = o ? prop(o, 'credentials') : undefined;
    if (o?.properties.some((p) => ts.isSpreadAssignment(p))) return;
    const credentials =
      credNode === undefined
        ? false
        : credNode.kind === ts.SyntaxKind.TrueKeyword
          ? true
          : credNode.kind === ts.SyntaxKind.FalseKeyword
            ? false
            : undefined;
    const at = originNode ?? credNode ?? call;
    const origin = this.resolve(originNode);
    const star = origin === undefined || (ts.isStringLiteralLike(origin) && origin.text === '*');
    if (star && credentials === true) {
      if (lib === 'koa') {
        this.hit(
          'origin-reflected',
          at,
          '@koa/cors with credentials and no origin (or "*") echoes every request Origin back, with credentials: any web site can read the API as the logged-in user.',
        );
      } else {
        this.hit(
          'wildcard-with-credentials',
          at,
          `${libName(lib)} sends Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true; browsers refuse every credentialed request.`,
        );
      }
      return;
    }
    if (!origin) return;
    if (origin.kind === ts.SyntaxKind.TrueKeyword) {
      if (credentials === true)
        this.hit(
          'origin-reflected',
          at,
          `origin: true echoes every request Origin back, and credentials: true lets any web site read the API with the user's cookies.`,
        );
      return;
    }
    if (ts.isArrowFunction(origin) || ts.isFunctionExpression(origin)) {
      if (credentials === true && reflectsAll(origin, this.sf))
        this.hit(
          'origin-reflected',
          at,
          'The origin callback allows every origin, and credentials: true lets any web site read the API with the user’s cookies.',
        );
      return;
    }
    this.originValues(origin, credentials, lib, at);
  }

  private originValues(e: ts.Expression, credentials: boolean | undefined, lib: Lib, at: ts.Node): void {
    const v = this.resolve(e);
    if (!v) return;
    if (ts.isStringLiteralLike(v)) {
      if (v.text.includes(',') && /^https?:\/\//.test(v.text.trim())) {
        this.hit(
          'duplicate-cors-headers',
          v,
          `'${v.text}' is sent as one Access-Control-Allow-Origin value holding several origins; the browser accepts exactly one.`,
          { fixSummary: 'Pass an array of origins: the middleware then echoes the one that matches.' },
        );
        return;
      }
      for (const p of checkOrigin(v.text, {
        credentials,
        guarded: this.guarded(v),
        literalStars: lib !== 'cors-doctor',
      }))
        this.hit(p.id, v, p.detail, {
          ...(p.severity ? { severity: p.severity } : {}),
          ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
        });
    } else if (ts.isRegularExpressionLiteral(v)) this.regexHit(v, v);
    else if (ts.isArrayLiteralExpression(v)) {
      for (const el of v.elements)
        if (!ts.isSpreadElement(el)) this.originValues(el, credentials, lib, at);
        else this.originValues(el.expression, credentials, lib, at);
    } else if (ts.isConditionalExpression(v)) {
      this.originValues(v.whenTrue, credentials, lib, at);
      this.originValues(v.whenFalse, credentials, lib, at);
    } else if (
      ts.isNewExpression(v) &&
      v.expression.getText(this.sf) === 'RegExp' &&
      v.arguments?.[0] &&
      ts.isStringLiteralLike(v.arguments[0])
    ) {
      const why = regexBypass(v.arguments[0].text);
      if (why)
        this.hit(
          'origin-pattern-bypass',
          v,
          `The origin pattern '${v.arguments[0].text}' can be bypassed: ${why}.`,
        );
    }
  }

  // ---- middleware order (4) -------------------------------------------------------------------------

  private checkOrder(): void {
    const byKey = new Map<string, typeof this.uses>();
    for (const u of this.uses) {
      const k = `${u.receiver}@${u.block.pos}`;
      byKey.set(k, [...(byKey.get(k) ?? []), u]);
    }
    for (const list of byKey.values()) {
      const i = list.findIndex((u) => u.cors);
      if (i <= 0) continue;
      const auth = list
        .slice(0, i)
        .find((u) =>
          u.call.arguments.some((a) => AUTH.test(a.getText(this.sf)) && !/cors/i.test(a.getText(this.sf))),
        );
      if (!auth) continue;
      const line = this.sf.getLineAndCharacterOfPosition(auth.call.getStart(this.sf)).line + 1;
      this.hit(
        'headers-missing-on-errors',
        // At the CORS middleware itself, not the start of a multi-line `app.use(`.
        list[i]!.call.arguments.find((a) => this.isCorsMiddleware(a)) ?? list[i]!.call,
        `CORS is mounted after ${auth.call.arguments.map((a) => a.getText(this.sf)).join(', ')} (line ${line}): its 401/403 answers (and preflights it refuses) go out without CORS headers, so the page sees a CORS error instead of the status.`,
        { fixSummary: 'Mount the CORS middleware first, before authentication and routing.' },
      );
    }
  }

  // ---- hand-set headers (2, 6, reflection) ----------------------------------------------------------

  private checkSites(): void {
    const varyInFile =
      this.sites.some((s) => s.name === 'vary') ||
      // `Vary: 'Origin'` in a header object, `.vary('Origin')`, `vary(res, 'Origin')`, `headers.append('Vary', …)`
      /\bvary\b['"]?\s*[:,(=]\s*[^\n]{0,60}origin/i.test(this.sf.text) ||
      // a helper such as `addOriginToVaryHeader(reply)` (@fastify/cors)
      /\w*(origin\w*vary|vary\w*origin)\w*\s*\(/i.test(this.sf.text);
    const groups = new Map<ts.Node, HeaderSite[]>();
    for (const s of this.sites) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
    for (const [group, list] of groups) {
      const credSites = list.filter(
        (s) =>
          s.name === 'access-control-allow-credentials' &&
          s.value &&
          /^['"`]?true['"`]?$/.test(s.value.getText(this.sf)),
      );
      for (const s of list) {
        // Credentials set in another branch (`if (star) … else …`) never go out with this header.
        const cred = credSites.some((c) => {
          const a = enclosingBlock(c.node);
          const b = enclosingBlock(s.node);
          return contains(a, b) || contains(b, a);
        });
        if (s.name !== 'access-control-allow-origin' || !s.value) continue;
        const v = this.resolve(s.value) ?? s.value;
        if (ts.isStringLiteralLike(v)) {
          if (v.text === '*') {
            if (cred)
              this.hit(
                'wildcard-with-credentials',
                s.node,
                'Access-Control-Allow-Origin: * is set together with Access-Control-Allow-Credentials: true; browsers refuse every credentialed request.',
              );
          } else
            for (const p of checkOrigin(v.text, { credentials: cred, guarded: this.guarded(v) }))
              this.hit(p.id, v, p.detail, {
                ...(p.severity ? { severity: p.severity } : {}),
                ...(p.fixSummary ? { fixSummary: p.fixSummary } : {}),
              });
          continue;
        }
        const text = s.value.getText(this.sf);
        if (CONFIG_VALUE.test(text) || !/origin/i.test(text)) continue; // one fixed value from config: no Vary needed
        const body = group.getText(this.sf);
        const direct = REQUEST_ORIGIN.test(text) || this.isDirectOriginVar(s.value);
        const checked =
          /origin\w*\s*(===|==|!==|!=)|(===|==|!==|!=)\s*[\w.]*origin|\.(includes|has|indexOf|test|some|find|match|endsWith|startsWith)\([^)]*origin|origin\w*\.(endsWith|startsWith|includes|match)\(|\bswitch\s*\(\s*[\w.]*origin/i.test(
            body,
          );
        if (direct && !checked && cred) {
          this.hit(
            'origin-reflected',
            s.node,
            'The request Origin is copied into Access-Control-Allow-Origin without any check, with credentials allowed: any web site can read the API as the logged-in user.',
          );
        }
        if (!varyInFile)
          this.hit(
            'missing-vary-origin',
            s.node,
            'Access-Control-Allow-Origin is set from the request Origin, but no Vary: Origin is sent: a cache can hand one origin’s answer to another.',
            {
              fixSummary:
                'Also send Vary: Origin (res.vary("Origin") in Express, or append "Origin" to Vary) on every response whose Allow-Origin depends on the request.',
            },
          );
      }
    }
  }

  private isDirectOriginVar(e: ts.Expression): boolean {
    let x = e;
    while (
      ts.isBinaryExpression(x) &&
      (x.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    )
      x = x.left;
    if (!ts.isIdentifier(x)) return REQUEST_ORIGIN.test(x.getText(this.sf));
    // const origin = req.headers.origin (anywhere in the file, the common shape)
    const decl = findDeclaration(x.text, enclosingFunction(e));
    return !!decl && REQUEST_ORIGIN.test(decl.getText(this.sf));
  }
}

// ---- helpers -------------------------------------------------------------------------------------------

function requireOf(e: ts.Expression): string | null {
  let x = e;
  while (ts.isPropertyAccessExpression(x)) x = x.expression; // require('x').default
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require') {
    const a = x.arguments[0];
    if (a && ts.isStringLiteralLike(a)) return a.text;
  }
  if (
    ts.isAwaitExpression(x) &&
    ts.isCallExpression(x.expression) &&
    x.expression.expression.kind === ts.SyntaxKind.ImportKeyword
  ) {
    const a = x.expression.arguments[0];
    if (a && ts.isStringLiteralLike(a)) return a.text;
  }
  return null;
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  const n = p.name;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n)) return n.text;
  if (ts.isComputedPropertyName(n) && ts.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

function prop(o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && propName(p) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function enclosingFunction(node: ts.Node): ts.Node {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return p;
  return node.getSourceFile();
}

function enclosingBlock(node: ts.Node): ts.Node {
  for (let p = node.parent; p; p = p.parent) if (ts.isBlock(p) || ts.isSourceFile(p)) return p;
  return node.getSourceFile();
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  for (let p: ts.Node | undefined = inner; p; p = p.parent) if (p === outer) return true;
  return false;
}

function findDeclaration(name: string, scope: ts.Node): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) found = n;
    else if (
      ts.isVariableDeclaration(n) &&
      ts.isObjectBindingPattern(n.name) &&
      n.name.elements.some((el) => ts.isIdentifier(el.name) && el.name.text === name)
    )
      found = n;
    else ts.forEachChild(n, walk);
  };
  walk(scope);
  if (!found && !ts.isSourceFile(scope)) walk(scope.getSourceFile());
  return found;
}

/** An origin callback that says yes to everything: `(o, cb) => cb(null, true)`, `() => true`, `(o) => o`. */
function reflectsAll(fn: ts.ArrowFunction | ts.FunctionExpression, sf: ts.SourceFile): boolean {
  const body = fn.body.getText(sf);
  if (/\bif\b|\?|&&|\|\||includes|indexOf|test\(|===|==|\.has\(|match|switch|endsWith|startsWith/.test(body))
    return false;
  const first = fn.parameters[0]?.name.getText(sf);
  return (
    /\(\s*null\s*,\s*(true|\w*origin\w*)\s*\)/i.test(body) ||
    /^\{?\s*(return\s+)?true;?\s*\}?$/.test(body.trim()) ||
    (first !== undefined && new RegExp(`^\\{?\\s*(return\\s+)?${first};?\\s*\\}?$`).test(body.trim()))
  );
}

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

function libName(lib: Lib): string {
  return {
    cors: 'cors',
    koa: '@koa/cors',
    hono: 'hono/cors',
    fastify: '@fastify/cors',
    nestjs: 'NestJS enableCors',
    'cors-doctor': 'cors-doctor',
  }[lib];
}
