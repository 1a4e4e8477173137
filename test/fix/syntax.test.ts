/**
 * The stacks that cannot run here (no NestJS, Next.js, Workers runtime, FastAPI, Laravel, Spring, .NET or
 * Traefik on this machine; no AWS): their generated fixes are marked "not run here" and parsed with the
 * real parser where one is installed: TypeScript's for the TS/JS ones, CPython's ast for FastAPI, `php -l`
 * for Laravel, javac for Spring (only "cannot find symbol/package" is allowed: Spring's jars are absent),
 * PyYAML for Traefik, JSON.parse for S3 and CloudFront plus the fields their APIs require.
 * ASP.NET has no C# parser here: it is counted as unchecked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { allFixes, fixCase, STACK_INFO, type StackFix, sampleCase } from '../../src/fix/index.ts';

const cases = [
  sampleCase('headers-missing-on-errors'),
  // no request headers, nothing to expose, no credentials: the shortest form of every generator
  fixCase(
    {
      request: {
        url: 'http://127.0.0.1:8080/',
        origin: 'http://localhost:5173',
        method: 'GET',
        headers: [],
        credentials: 'omit',
        mode: 'cors',
      },
      expose: [],
    },
    [],
  ),
];

function tsErrors(code: string, file: string): string[] {
  const sf = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  // parseDiagnostics is the parser's own list (syntax only): types and imports are not resolved here.
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function run(cmd: string, args: string[], input?: string) {
  return spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 60_000 });
}

const CHECKS: Record<string, ((fix: StackFix) => void) | undefined> = {
  nestjs: (f) => assert.deepEqual(tsErrors(f.code, 'main.ts'), []),
  nextjs: (f) => assert.deepEqual(tsErrors(f.code, 'route.ts'), []),
  cloudflare: (f) => assert.deepEqual(tsErrors(f.code, 'worker.js'), []),
  fastapi: (f) => {
    const r = run('/usr/bin/python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], f.code);
    assert.equal(r.status, 0, r.stderr);
  },
  laravel: (f) => {
    const r = run('/usr/bin/php', ['-l'], f.code);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  },
  spring: (f) => {
    if (!existsSync('/usr/bin/javac')) return;
    const dir = mkdtempSync(join(tmpdir(), 'cors-doctor-javac-'));
    try {
      writeFileSync(join(dir, 'CorsConfig.java'), f.code);
      const r = run('/usr/bin/javac', ['-d', dir, '-proc:none', join(dir, 'CorsConfig.java')]);
      const errors = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error:/.test(l));
      assert.ok(
        errors.length > 0,
        'javac found Spring on the class path: this check would now pass untested',
      );
      const other = errors.filter((l) => !/does not exist|cannot find symbol/.test(l));
      assert.deepEqual(other, [], `${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  traefik: (f) => {
    const r = run(
      '/usr/bin/python3',
      ['-c', 'import sys,yaml,json; print(json.dumps(yaml.safe_load(sys.stdin.read())))'],
      f.code,
    );
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      http: { middlewares: { cors: { headers: Record<string, unknown> } } };
    };
    const h = doc.http.middlewares.cors.headers;
    assert.ok(Array.isArray(h['accessControlAllowOriginList']));
    assert.equal(h['addVaryHeader'], true);
  },
  s3: (f) => {
    const doc = JSON.parse(f.code) as { CORSRules: Record<string, unknown>[] };
    assert.ok(Array.isArray(doc.CORSRules[0]!['AllowedOrigins']));
    assert.ok(Array.isArray(doc.CORSRules[0]!['AllowedMethods']));
  },
  cloudfront: (f) => {
    const doc = JSON.parse(f.code) as {
      Name: string;
      CorsConfig: Record<string, { Quantity: number; Items: unknown[] } | boolean | number>;
    };
    for (const k of ['AccessControlAllowOrigins', 'AccessControlAllowHeaders', 'AccessControlAllowMethods']) {
      const v = doc.CorsConfig[k] as { Quantity: number; Items: unknown[] };
      assert.equal(v.Quantity, v.Items.length, k);
    }
    assert.equal(typeof doc.CorsConfig['AccessControlAllowCredentials'], 'boolean');
    assert.equal(doc.CorsConfig['OriginOverride'], true);
  },
  aspnet: undefined,
};

describe('fixes for stacks not run here: syntax', () => {
  for (const [i, c] of cases.entries())
    for (const fix of allFixes(c).filter((f) => !STACK_INFO[f.stack].runnable)) {
      const check = CHECKS[fix.stack];
      it(`${fix.stack} (case ${i + 1})`, (t) => {
        if (!check) return t.skip('no parser for this language here');
        check(fix);
      });
    }

  it('a broken snippet is caught (the checks can fail)', () => {
    assert.throws(() =>
      CHECKS['nextjs']!({ code: 'export function OPTIONS( {', stack: 'nextjs' } as StackFix),
    );
    assert.throws(() =>
      CHECKS['laravel']!({ code: "<?php return ['a' => ];", stack: 'laravel' } as StackFix),
    );
    assert.throws(() => CHECKS['fastapi']!({ code: 'app.add_middleware(', stack: 'fastapi' } as StackFix));
  });
});
