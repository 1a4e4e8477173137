/**
 * `scan` on a generated 5,000-file repository (a monorepo: a React front end, Node, Python and Go
 * services, deploy configs, a few dozen files with CORS code in them, and a node_modules folder the walker
 * must skip). Reports the whole command's time (walk + read + scan), the walk alone (what any scanner pays
 * to list and read the files) and the analysis alone.
 *   npm run bench -- scan
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { walk } from '../src/cli/commands/scan.ts';
import { scanFiles } from '../src/scan/index.ts';
import type { BenchRow } from './index.ts';

const component = (i: number) => `import { useEffect, useState } from 'react';
import { formatDate } from '../utils/format${i % 50}';

interface Props${i} { id: string; title: string; createdAt: string }

export function Card${i}({ id, title, createdAt }: Props${i}) {
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    fetch(\`/api/items/\${id}\`, { headers: { Accept: 'application/json' } })
      .then((r) => r.json())
      .then(setData);
  }, [open, id]);
  return (
    <section className="card" onClick={() => setOpen(!open)}>
      <h2>{title}</h2>
      <time>{formatDate(createdAt)}</time>
      {open && <pre>{JSON.stringify(data, null, 2)}</pre>}
    </section>
  );
}
`;
const util = (i: number) => `export function formatDate${i}(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
}
export const clamp${i} = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
`;
const route = (i: number) => `const express = require('express');
const router = express.Router();
router.get('/items/${i}', async (req, res) => {
  const rows = await req.db.query('select * from items where shard = $1', [${i}]);
  res.json(rows);
});
module.exports = router;
`;
const py = (i: number) => `from dataclasses import dataclass


@dataclass
class Order${i}:
    id: int
    total: float

    def with_tax(self, rate: float = 0.2) -> float:
        return round(self.total * (1 + rate), 2)
`;
const go = (i: number) => `package svc${i % 20}

import "net/http"

func Handler${i}(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("{}"))
}
`;
const corsJs = (i: number) => `import express from 'express';
import cors from 'cors';
const app = express();
app.use(cors({ origin: ['https://app${i}.example.com/', 'http://localhost:3000'], credentials: true }));
fetch('https://cors-anywhere.herokuapp.com/https://x${i}.example.net', { headers: { 'Access-Control-Allow-Origin': '*' } });
`;

/** Writes the repository under `root`; returns how many files outside node_modules it holds. */
export function generate(root: string): number {
  let n = 0;
  const put = (rel: string, text: string) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    n++;
  };
  for (let i = 0; i < 2600; i++) put(`web/src/components/c${i % 40}/Card${i}.tsx`, component(i));
  for (let i = 0; i < 600; i++) put(`web/src/utils/format${i}.ts`, util(i));
  for (let i = 0; i < 700; i++) put(`services/api/routes/r${i}.js`, route(i));
  for (let i = 0; i < 500; i++) put(`services/billing/orders/order_${i}.py`, py(i));
  for (let i = 0; i < 500; i++) put(`services/edge/svc${i % 20}/h${i}.go`, go(i));
  for (let i = 0; i < 50; i++) put(`services/legacy/app${i}.js`, corsJs(i));
  for (let i = 0; i < 40; i++)
    put(
      `deploy/nginx/site${i}.conf`,
      `server {\n  listen 80;\n  location / {\n    add_header Access-Control-Allow-Origin https://app${i}.example.com;\n    proxy_pass http://127.0.0.1:${8000 + i};\n  }\n}\n`,
    );
  for (let i = 0; i < 10; i++) put(`docs/page${i}.md`, '# Docs\n');
  // Dependencies: present on disk, never read.
  for (let i = 0; i < 2000; i++) put(`node_modules/pkg${i % 100}/index${i}.js`, corsJs(i));
  return n - 2000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'cors-doctor-scan-bench-'));
  try {
    const count = generate(root);
    const full: number[] = [];
    const scanOnly: number[] = [];
    const walkOnly: number[] = [];
    let findings = 0;
    let files = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const w = walk(root);
      const t1 = performance.now();
      const r = scanFiles(w.files);
      const t2 = performance.now();
      full.push(t2 - t0);
      walkOnly.push(t1 - t0);
      scanOnly.push(t2 - t1);
      findings = r.findings.length;
      files = r.filesScanned;
    }
    return [
      {
        name: `scan: ${count}-file repository, walk + read + scan (median of 5)`,
        value: median(full),
        unit: 'ms',
        detail: `${files} files scanned, ${findings} findings, node_modules (2,000 files) skipped`,
      },
      {
        name: 'baseline: the walk alone (.gitignore, stat, read)',
        value: median(walkOnly),
        unit: 'ms',
        detail: `${((median(walkOnly) / median(full)) * 100).toFixed(0)}% of the total`,
      },
      {
        name: 'scan: analysis only (files already in memory)',
        value: median(scanOnly),
        unit: 'ms',
        detail: `${((median(scanOnly) / files) * 1000).toFixed(0)} µs per file`,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
