/**
 * bench/delayed-api.ts in a process of its own, so a bench can pin it to another core than the CLI it
 * times: `node --import tsx bench/delayed-api-process.ts <delayMs> [options JSON]`, forked with an IPC
 * channel. It sends `{ url }` once listening; `reset` clears the counters, `stats` answers with the
 * requests, the peak of open connections and the server's CPU since the last reset.
 */
import { delayedApi } from './delayed-api.ts';

export interface ApiStats {
  requests: number;
  peakOpen: number;
  cpuMs: number;
}

const send = (m: unknown): void => {
  process.send?.(m);
};

const api = await delayedApi(Number(process.argv[2]), JSON.parse(process.argv[3] ?? '{}'));
let cpu = process.cpuUsage();
process.on('message', (m: 'reset' | 'stats' | 'close') => {
  if (m === 'reset') {
    api.arrivals.length = 0;
    api.peakOpen = 0;
    cpu = process.cpuUsage();
    send('reset');
  } else if (m === 'stats') {
    const used = process.cpuUsage(cpu);
    const stats: ApiStats = {
      requests: api.arrivals.length,
      peakOpen: api.peakOpen,
      cpuMs: (used.user + used.system) / 1000,
    };
    send(stats);
  } else void api.close().then(() => process.disconnect());
});
send({ url: api.url });
