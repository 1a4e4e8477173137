/**
 * Property: whatever a server answers (random statuses, odd and duplicated CORS headers, redirects,
 * network errors) and whatever the page asks, the diagnosis never throws, reports each id at most once,
 * orders findings most blocking first, and backs every finding with evidence and the catalog's words.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runSimulation } from '../../src/browser/simulate.ts';
import type { PageRequest, WireRequest, WireResponse } from '../../src/browser/types.ts';
import { FINDING_IDS } from '../../src/catalog/ids.ts';
import { diagnose, probesFor } from '../../src/diagnosis/index.ts';
import type { CheckInput } from '../../src/diagnosis/types.ts';

const APP = 'https://app.example.com';
const RANK = { error: 0, security: 1, warning: 2, info: 3 } as const;

const origins = fc.constantFrom(
  APP,
  'null',
  'http://localhost:5173',
  'https://www.app.example.com',
  'http://10.0.0.5:8080',
);
const urls = fc.constantFrom(
  'https://api.example.com/data',
  'http://api.example.com/v1/items?x=1',
  'https://cors-anywhere.herokuapp.com/https://api.example.com/data',
  'https://192.168.1.20/',
  'http://127.0.0.1:8080/api/data',
);
const requestHeaders = fc.subarray<[string, string]>([
  ['Content-Type', 'application/json'],
  ['Authorization', 'Bearer x'],
  ['X-Trace', '1'],
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Request-Method', 'GET'],
  ['Accept', 'application/json'],
]);
const pageRequest: fc.Arbitrary<PageRequest> = fc.record({
  url: urls,
  origin: origins,
  method: fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'DELETE', 'HEAD'),
  headers: requestHeaders,
  credentials: fc.constantFrom('omit', 'same-origin', 'include'),
  mode: fc.constantFrom('cors', 'cors', 'cors', 'no-cors'),
});

const headerPool = (origin: string): [string, string][] => [
  ['Access-Control-Allow-Origin', origin],
  ['Access-Control-Allow-Origin', '*'],
  ['access-control-allow-origin', origin],
  ['Access-Control-Allow-Origin', `${APP}/`],
  ['Access-Control-Allow-Origin', 'https://a.example, https://b.example'],
  ['Access-Control-Allow-Origin', ''],
  ['Access-Control-Allow-Origin', 'null'],
  ['Access-Control-Allow-Credentials', 'true'],
  ['Access-Control-Allow-Credentials', 'True'],
  ['Access-Control-Allow-Methods', '*'],
  ['Access-Control-Allow-Methods', 'GET, PUT, PATCH'],
  ['Access-Control-Allow-Methods', 'G E T,,'],
  ['Access-Control-Allow-Headers', '*'],
  ['Access-Control-Allow-Headers', 'content-type, authorization'],
  ['Access-Control-Allow-Headers', 'x-é'],
  ['Access-Control-Expose-Headers', '*'],
  ['Access-Control-Expose-Headers', 'X-Total'],
  ['Vary', 'Origin'],
  ['Vary', 'Accept-Encoding'],
  ['Location', '/elsewhere'],
  ['Location', 'http://[bad'],
  ['Cache-Control', 'public, max-age=60'],
  ['Server', 'nginx'],
  ['Via', '1.1 cdn'],
  ['X-Total', '3'],
  ['X-Powered-By', 'Express'],
];

interface Answer {
  net: boolean;
  status: number;
  pick: boolean[];
}
const answer = fc.record({
  net: fc.boolean().map((b) => b && Math.random() < 0.2),
  status: fc.constantFrom(200, 204, 301, 307, 401, 403, 404, 405, 500),
  // Each header line present with probability 1/5: most answers are sparse, as real ones are.
  pick: fc.array(
    fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    { minLength: 26, maxLength: 26 },
  ),
});

test('diagnose never throws and keeps its invariants over random exchanges', () => {
  fc.assert(
    fc.property(
      pageRequest,
      fc.func(answer),
      fc.array(fc.constantFrom('X-Total', 'Link'), { maxLength: 2 }),
      (req, script, expose) => {
        const respond = (w: WireRequest): WireResponse => {
          const origin = w.headers.find(([n]) => n.toLowerCase() === 'origin')?.[1] ?? '';
          const a: Answer = script(w.method, w.url, origin);
          if (a.net) return { kind: 'network-error', netError: 'net::ERR_CONNECTION_RESET' };
          const headers = headerPool(origin).filter((_, i) => a.pick[i]);
          return { kind: 'response', status: a.status, headers };
        };
        const input: CheckInput = {
          request: req,
          expose,
          page: {
            url: `${APP}/`,
            headerPolicies: ["default-src 'self'; connect-src 'self' https://api.example.com"],
            metaPolicies: [],
          },
        };
        const main = runSimulation(req, respond);
        const probes = new Map(probesFor(input).map((p) => [p.name, runSimulation(p.request, respond)]));
        const errors: string[] = [];
        const findings = diagnose({ input, main, probes }, undefined, (rule, e) =>
          errors.push(`${rule}: ${String(e)}`),
        );
        assert.deepEqual(errors, []);
        const ids = findings.map((f) => f.id);
        assert.equal(new Set(ids).size, ids.length, `duplicate ids ${ids}`);
        for (let i = 1; i < findings.length; i++)
          assert.ok(RANK[findings[i - 1]!.severity] <= RANK[findings[i]!.severity], 'ordered');
        for (const f of findings) {
          assert.ok((FINDING_IDS as readonly string[]).includes(f.id));
          assert.ok(
            f.evidence.length > 0 && f.detail.length > 0 && f.title.length > 0 && f.fix.summary.length > 0,
            f.id,
          );
        }
        // A blocked CORS request (with a response) always gets at least one error finding naming a cause.
        if (!main.allowed && main.corsError !== null && main.netError === null && req.mode === 'cors')
          assert.ok(
            findings.some((f) => f.severity === 'error'),
            `blocked by ${main.corsError} (${main.failedParameter}) without an error finding: ${ids}`,
          );
      },
    ),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
  );
});
