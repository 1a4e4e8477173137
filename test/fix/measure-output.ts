// Output length of `check --stack <s>` on the demo's endpoints, for two builds (the figure issue 11 asks
// for). Usage: node --import tsx test/fix/measure-output.ts <old main.js> <new main.js> [stack...]
// Not a test: it prints a table. Loopback only (the demo API on 127.0.0.1).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startDemoApi } from '../../src/demo/api.ts';
import { caseCommand, DEMO_CASES } from '../../src/demo/cases.ts';

const [oldMain, newMain, ...stacks] = process.argv.slice(2);
if (!oldMain || !newMain)
  throw new Error('usage: measure-output.ts <old dist/src/cli/main.js> <new main.js> [stack…]');
const api = await startDemoApi();
// Asynchronous: the demo API answers from this process's event loop.
const run = promisify(execFile);
const lines = async (main: string, cmd: string, stack: string) => {
  const args = cmd.replace(/^cors-doctor /, '');
  try {
    return (await run('bash', ['-c', `node ${main} ${args} --stack ${stack}`], { timeout: 30_000 })).stdout;
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '');
  }
};
try {
  for (const stack of stacks.length > 0 ? stacks : ['express']) {
    let before = 0;
    let after = 0;
    for (const c of DEMO_CASES) {
      const cmd = caseCommand(c, api.url);
      const b = (await lines(oldMain, cmd, stack)).split('\n').length;
      const a = (await lines(newMain, cmd, stack)).split('\n').length;
      before += b;
      after += a;
      console.log(`${stack}\t${c.family}\t${b}\t${a}`);
    }
    console.log(`${stack}\tTOTAL\t${before}\t${after}`);
  }
} finally {
  await api.close();
}
