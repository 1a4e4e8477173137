/**
 * Browser-model throughput: `runSimulation` evaluations per second for a preflighted request (allowed
 * and blocked), against two baselines measured in the same run: a simple (non-preflighted) request
 * through the same model, and a bare JSON.stringify of the request (the floor for "touching" it).
 */
import { runSimulation } from '../src/browser/index.ts';
import type { PageRequest, WireRequest, WireResponse } from '../src/browser/types.ts';
import type { BenchRow } from './index.ts';

const PAGE = 'https://app.example.com';
const preflighted: PageRequest = {
  url: 'https://api.example.com/v1/items/42?expand=owner',
  origin: PAGE,
  method: 'PUT',
  headers: [
    ['Content-Type', 'application/json'],
    ['Authorization', 'Bearer abc.def.ghi'],
    ['X-Request-Id', 'r-123'],
  ],
  credentials: 'include',
  mode: 'cors',
};
const simple: PageRequest = { ...preflighted, method: 'GET', headers: [], credentials: 'same-origin' };

const allow = (r: WireRequest): WireResponse =>
  r.purpose === 'preflight'
    ? {
        kind: 'response',
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE'],
          ['Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Request-Id'],
          ['Access-Control-Max-Age', '600'],
          ['Vary', 'Origin'],
        ],
      }
    : {
        kind: 'response',
        status: 200,
        headers: [
          ['Content-Type', 'application/json'],
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Expose-Headers', 'X-Request-Id'],
          ['X-Request-Id', 'r-123'],
        ],
      };
const block = (r: WireRequest): WireResponse =>
  r.purpose === 'preflight'
    ? {
        kind: 'response',
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Methods', '*'],
          ['Access-Control-Allow-Headers', '*'],
        ],
      }
    : allow(r);

/** Operations per second of `fn`, measured over ~`ms` milliseconds after a warm-up. */
function opsPerSecond(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 2000; i++) fn();
  let iterations = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) fn();
    iterations += 500;
    now = performance.now();
  }
  return (iterations * 1000) / (now - start);
}

export default async (): Promise<BenchRow[]> => {
  const check = runSimulation(preflighted, block);
  if (check.allowed || runSimulation(preflighted, allow).allowed !== true)
    throw new Error('bench scenarios drifted');
  // Three interleaved rounds, median of each: the machine is shared, so neighbours' load hits all alike.
  const rounds: number[][] = [[], [], [], [], []];
  for (let round = 0; round < 3; round++) {
    rounds[0]!.push(opsPerSecond(() => JSON.stringify(preflighted), 250));
    rounds[1]!.push(opsPerSecond(() => runSimulation(simple, allow), 250));
    rounds[2]!.push(opsPerSecond(() => runSimulation(preflighted, allow), 250));
    rounds[3]!.push(opsPerSecond(() => runSimulation(preflighted, block), 250));
    rounds[4]!.push(opsPerSecond(() => runSimulation(preflighted, allow, { otherEngines: false }), 250));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const [stringify = 0, simpleOps = 0, allowedOps = 0, blockedOps = 0, chromiumOnly = 0] = rounds.map(median);
  const vs = (x: number) =>
    `${(x / stringify).toFixed(3)}× JSON.stringify, ${(x / simpleOps).toFixed(2)}× simple request`;
  return [
    { name: 'baseline: JSON.stringify(request)', value: stringify, unit: 'ops/s' },
    { name: 'runSimulation simple GET (allowed)', value: simpleOps, unit: 'evals/s', detail: vs(simpleOps) },
    {
      name: 'runSimulation preflighted PUT (allowed)',
      value: allowedOps,
      unit: 'evals/s',
      detail: vs(allowedOps),
    },
    {
      name: 'runSimulation preflighted PUT (blocked at preflight)',
      value: blockedOps,
      unit: 'evals/s',
      detail: vs(blockedOps),
    },
    {
      name: 'runSimulation preflighted PUT, Chromium only',
      value: chromiumOnly,
      unit: 'evals/s',
      detail: vs(chromiumOnly),
    },
  ];
};
