/**
 * `cors-doctor test` on a 100-endpoint × 3-origin contract (1 allowed, 2 refused; every fourth endpoint
 * a preflighted PUT) against a loopback API that delays every answer by 50 ms, at concurrency 1, 8 and
 * 32. The floor at concurrency N: the page requests' round trips (one for a GET, two for a preflighted
 * PUT from an allowed origin, one for a refused preflight) × 50 ms / N; an allowed origin's probes run
 * beside its request and some take two round trips, so even concurrency 1 sits above it.
 */
import { runContract } from '../src/cli/commands/test.ts';
import { parseContract } from '../src/contract/parse.ts';
import { APP, delayedApi } from './delayed-api.ts';
import type { BenchRow } from './index.ts';

const DELAY_MS = 50;
const ENDPOINTS = 100;

export default async function bench(): Promise<BenchRow[]> {
  const api = await delayedApi(DELAY_MS, { allowMethods: 'GET, PUT', keepAliveTimeout: 1000 });
  const rows: BenchRow[] = [];
  try {
    const endpoints = Array.from({ length: ENDPOINTS }, (_, i) =>
      i % 4 === 3
        ? `  - name: put-${i}\n    url: /items/${i}\n    method: PUT\n    headers: { Content-Type: application/json, Authorization: Bearer x }\n    data: '{}'\n    credentials: include\n    allow: [${APP}]\n    deny: [https://evil.example, "null"]\n`
        : `  - name: get-${i}\n    url: /items/${i}\n    credentials: include\n    allow: [${APP}]\n    deny: [https://evil.example, "null"]\n`,
    ).join('');
    const parsed = parseContract(`version: 1\nbase: ${api.url}\nendpoints:\n${endpoints}`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const puts = Math.floor(ENDPOINTS / 4);
    const trips = (ENDPOINTS - puts) * 3 + puts * (2 + 1 + 1);
    // Warm-up: module loading and JIT, not part of any figure.
    await runContract(
      { ...parsed.contract, endpoints: parsed.contract.endpoints.slice(0, 4) },
      { concurrency: 4, timeoutMs: 60_000 },
    );
    for (const concurrency of [1, 8, 32]) {
      const cpu = process.cpuUsage();
      const run = await runContract(parsed.contract, { concurrency, timeoutMs: 600_000 });
      const used = process.cpuUsage(cpu);
      const cpuS = (used.user + used.system) / 1e6;
      if (run.result.failed > 0) throw new Error(`bench contract failed ${run.result.failed} cases`);
      const floor = (trips * DELAY_MS) / concurrency;
      rows.push({
        name: `test ${ENDPOINTS} endpoints × 3 origins, concurrency ${concurrency}`,
        value: run.ms / 1000,
        unit: 's',
        detail: `${run.requests} requests, ${run.result.passed} cases passed; floor ${trips} critical round trips × ${DELAY_MS} ms / ${concurrency} = ${(floor / 1000).toFixed(2)} s (ratio ${(run.ms / floor).toFixed(2)}); CPU ${cpuS.toFixed(1)} s, ${((cpuS * 1000) / run.requests).toFixed(2)} ms per request (server included): on a shared machine the CPU the process gets, not the server's 50 ms, bounds concurrency 8 and 32`,
      });
    }
  } finally {
    await api.close();
  }
  return rows;
}
