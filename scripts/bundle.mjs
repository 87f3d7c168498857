// Bundles every action entry with ncc: src/actions/<name>/main.ts → dist/<name>/index.js
// (and post.ts → dist/<name>/post.js), plus the local runner → dist/cli/index.js.
// Usage: node scripts/bundle.mjs [name ...]   (no names: all)
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { promisify } from 'node:util';
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

const run = promisify(execFile);

async function bundle(e) {
  const out = mkdtempSync(join(tmpdir(), 'ncc-'));
  try {
    await run(process.execPath, [ncc, 'build', e.src, '-o', out, '-q', '--target', 'es2022'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    process.stderr.write(`${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw new Error(`ncc failed for ${e.src}`);
  }
  const dest = join(root, 'dist', e.name);
  mkdirSync(dest, { recursive: true });
  // Lazy imports (`await import(...)`, e.g. backup-db's S3 SDK) become chunks `<id>.index.js` beside index.js,
  // loaded only when used: they ship with the entry. Only main entries may have them (post's would collide).
  const chunks = readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f));
  if (chunks.length && e.file !== 'index.js')
    throw new Error(`${e.src}: lazy imports are not supported in post entries`);
  if (e.file === 'index.js') {
    for (const f of readdirSync(dest)) if (/^\d+\.index\.js$/.test(f)) rmSync(join(dest, f));
    for (const f of chunks) renameSync(join(out, f), join(dest, f));
  }
  renameSync(join(out, 'index.js'), join(dest, e.file));
  rmSync(out, { recursive: true, force: true });
  console.log(`bundled ${e.src} → dist/${e.name}/${e.file}`);
}

// One ncc per core: each is single-threaded, and bundling every entry one by one is most of a CI minute.
const queue = [...chosen];
const worker = async () => {
  while (queue.length) await bundle(queue.shift());
};
await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, worker));
