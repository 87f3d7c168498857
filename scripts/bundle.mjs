// Bundles every action entry with ncc: src/actions/<name>/main.ts → dist/<name>/index.js
// (and post.ts → dist/<name>/post.js), plus the local runner → dist/cli/index.js.
// Usage: node scripts/bundle.mjs [name ...]   (no names: all)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const entries = [];
for (const name of readdirSync(join(root, 'src', 'actions'))) {
  if (!existsSync(join(root, 'src', 'actions', name, 'main.ts'))) continue; // e.g. src/actions/tsconfig.json
  entries.push({ name, file: 'index.js', src: join('src', 'actions', name, 'main.ts') });
  const post = join('src', 'actions', name, 'post.ts');
  if (existsSync(join(root, post))) entries.push({ name, file: 'post.js', src: post });
}
entries.push({ name: 'cli', file: 'index.js', src: join('src', 'runner', 'cli-entry.ts') });

const only = process.argv.slice(2);
const chosen = only.length ? entries.filter((e) => only.includes(e.name)) : entries;
if (only.length && chosen.length === 0) {
  console.error(`no entry named ${only.join(', ')}`);
  process.exit(2);
}
if (!only.length) rmSync(join(root, 'dist'), { recursive: true, force: true });

for (const e of chosen) {
  const out = mkdtempSync(join(tmpdir(), 'ncc-'));
  execFileSync(process.execPath, [ncc, 'build', e.src, '-o', out, '-q', '--target', 'es2022'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const dest = join(root, 'dist', e.name);
  mkdirSync(dest, { recursive: true });
  renameSync(join(out, 'index.js'), join(dest, e.file));
  rmSync(out, { recursive: true, force: true });
  console.log(`bundled ${e.src} → dist/${e.name}/${e.file}`);
}
