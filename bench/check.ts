/**
 * `check`'s wall time against its floor. A loopback API delays every response by 100 ms; a full check
 * (the page's request and every probe) can never beat the critical path: its sequential round trips ×
 * 100 ms. The ratio shows what running the probes costs on top (target ≤ 1.3: they run concurrently).
 */
import type { CheckInput } from '../src/diagnosis/types.ts';
import { runCheck } from '../src/probe/check.ts';
import { APP, delayedApi } from './delayed-api.ts';
import type { BenchRow } from './index.ts';

const DELAY_MS = 100;
const RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const api = await delayedApi(DELAY_MS);
  const rows: BenchRow[] = [];
  try {
    const cases: { name: string; input: CheckInput }[] = [
      {
        name: 'GET, no preflight (allowed)',
        input: {
          request: {
            url: `${api.url}/data`,
            origin: APP,
            method: 'GET',
            headers: [],
            credentials: 'same-origin',
            mode: 'cors',
          },
          expose: [],
        },
      },
      {
        name: 'PUT + JSON + credentials, preflighted (allowed)',
        input: {
          request: {
            url: `${api.url}/items/1`,
            origin: APP,
            method: 'PUT',
            headers: [
              ['Content-Type', 'application/json'],
              ['Authorization', 'Bearer x'],
            ],
            credentials: 'include',
            mode: 'cors',
          },
          expose: [],
        },
      },
    ];
    for (const c of cases) {
      await runCheck(c.input, { timeoutMs: 10_000 }); // warm-up: module loading, JIT
      const walls: number[] = [];
      let requests = 0;
      let floorTrips = 0;
      let longestChain = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const report = await runCheck(c.input, { timeoutMs: 10_000 });
        walls.push(performance.now() - started);
        requests = report.stats.requests;
        floorTrips = report.exchanges.filter(
          (x) => x.purpose === 'preflight' || x.purpose === 'actual',
        ).length;
        const chains = new Map<string, number>();
        for (const x of report.exchanges)
          chains.set(
            x.purpose.startsWith('probe:') ? x.purpose : 'main',
            (chains.get(x.purpose.startsWith('probe:') ? x.purpose : 'main') ?? 0) + 1,
          );
        longestChain = Math.max(...chains.values());
      }
      // The same check without probes, in the same run: what the probes cost on this machine right now.
      const bare: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await runCheck(c.input, { timeoutMs: 10_000, noProbes: true });
        bare.push(performance.now() - started);
      }
      const wall = median(walls);
      const floor = floorTrips * DELAY_MS;
      rows.push({
        name: `check ${c.name}: wall / critical-path floor`,
        value: wall / floor,
        unit: 'ratio',
        detail: `median ${Math.round(wall)} ms over ${RUNS} runs; floor ${floorTrips} round trips × ${DELAY_MS} ms = ${floor} ms; ${requests} requests (${requests - floorTrips} probe requests, longest chain ${longestChain}); target ≤ 1.3`,
      });
      rows.push({
        name: `check ${c.name}: wall / same check without probes`,
        value: wall / median(bare),
        unit: 'ratio',
        detail: `without probes: median ${Math.round(median(bare))} ms (${floorTrips} requests)`,
      });
      rows.push({ name: `check ${c.name}: requests per check`, value: requests, unit: 'requests' });
    }
  } finally {
    await api.close();
  }
  return rows;
}
