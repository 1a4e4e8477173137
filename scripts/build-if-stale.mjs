// `npm start` from a fresh clone: build dist/ first when it is missing or older than src/ (there is no
// `prepare` script, so `npm install` no longer builds; consumers of the tarball get no install script).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
const entry = 'dist/src/cli/main.js';
if (!existsSync(entry) || statSync(entry).mtimeMs < newest('src')) {
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { stdio: 'inherit' });
}
