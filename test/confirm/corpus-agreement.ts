/**
 * Figures, not a test: model vs real engine on the real-server corpus (test/corpus/), the page's own
 * request only (--no-probes), one engine kept running. Usage:
 *   node --import tsx test/confirm/corpus-agreement.ts <engine> [stack-file-substring]
 * Cookies are not placed in the engine's jar, so cases that need a session may differ on the status.
 */
import { readdirSync } from 'node:fs';
import { launchChromium } from '../../src/confirm/engines/chromium.ts';
import { launchFirefox } from '../../src/confirm/engines/firefox.ts';
import { launchWebKit } from '../../src/confirm/engines/webkit.ts';
import { confirmReport, type EngineName, type Launcher } from '../../src/confirm/index.ts';
import { runCheck } from '../../src/probe/check.ts';
import type { StackCorpus } from '../corpus/case.ts';
import { pageRequest } from '../diagnosis/framework-cases.ts';
import { APP } from '../harness/apps/common.ts';

const engine = (process.argv[2] ?? 'chromium') as EngineName;
const filter = process.argv[3] ?? '';
const dir = new URL('../corpus/', import.meta.url);
const files = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'case.ts' && f.includes(filter),
);
const pageUrl = `${APP}/__cors-doctor-confirm__`;
const t0 = Date.now();
const running =
  engine === 'chromium'
    ? await launchChromium({ blankPages: [pageUrl] })
    : engine === 'firefox'
      ? await launchFirefox({ blankPages: [pageUrl] })
      : await launchWebKit({ blankPages: [pageUrl] });
const launchMs = Date.now() - t0;
const shared: Launcher = async () => ({
  version: running.version,
  run: running.run.bind(running),
  close: async () => {},
});
let agree = 0;
let total = 0;
const callMs: number[] = [];
const differ: string[] = [];
for (const f of files) {
  const mod = (await import(new URL(f, dir).href)) as { corpus?: StackCorpus; corpora?: StackCorpus[] };
  for (const corpus of [...(mod.corpus ? [mod.corpus] : []), ...(mod.corpora ?? [])]) {
    if (corpus.missing?.()) continue;
    for (const c of corpus.cases) {
      const app = await c.start();
      try {
        const request = pageRequest(c, app.base);
        const report = await runCheck(
          { request, expose: c.expose ?? [] },
          {
            timeoutMs: 8000,
            noProbes: true,
            ...(c.cookie ? { cookie: c.cookie } : {}),
            ...(c.request?.body != null ? { body: c.request.body } : {}),
          },
        );
        const [r] = await confirmReport(request, report, {
          engines: [engine],
          launch: { [engine]: shared },
          ...(c.request?.body != null ? { body: c.request.body } : {}),
        });
        total++;
        if (r?.agree) agree++;
        else
          differ.push(
            `${c.name}${c.cookie ? ' [cookie]' : ''}: ${r?.unavailable ?? r?.differences.join(' | ')}`,
          );
        if (r?.callMs !== undefined) callMs.push(r.callMs);
      } finally {
        await app.close();
      }
    }
  }
}
await running.close();
callMs.sort((a, b) => a - b);
console.log(
  `${engine} ${running.version}: ${agree}/${total} agree; launch ${launchMs} ms; call median ${callMs[Math.floor(callMs.length / 2)]} ms`,
);
for (const d of differ) console.log(`  ≠ ${d}`);
