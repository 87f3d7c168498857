/**
 * A gzipped ustar archive of a source directory, for providers that build from an uploaded tarball (Heroku
 * sources + builds). Written here in a few lines so no `tar` process or shell is involved; `.git` is left out,
 * entries are sorted and timestamps fixed so the same tree gives the same bytes (and the same checksum).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceTarball {
  bytes: Buffer;
  /** `SHA256:<hex>` of the gzipped bytes (Heroku's `source_blob.checksum` form). */
  sha256: string;
  files: number;
}

const MTIME = 1_600_000_000;
const MAX_BYTES = 512 * 1024 * 1024;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, type: '0' | '2' | '5', link = ''): Buffer {
  const h = Buffer.alloc(512, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) {
      throw new Error(`source: path "${name.slice(0, 80)}…" is too long for a tar entry (100 + 155 bytes)`);
    }
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(MTIME, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(type, 156, 1, 'ascii');
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return h;
}

/**
 * Archives `dir` (without `.git`). `replace` swaps a top-level file's content (e.g. a Procfile with the
 * release line added) without touching the directory.
 */
export function makeSourceTarball(dir: string, replace: Record<string, string> = {}): SourceTarball {
  const parts: Buffer[] = [];
  let total = 0;
  let files = 0;
  const seen = new Set<string>();
  const walk = (rel: string): void => {
    const abs = rel ? join(dir, rel) : dir;
    for (const name of readdirSync(abs).sort()) {
      if (!rel && name === '.git') continue;
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) {
        parts.push(header(`${r}/`, 0, 0o755, '5'));
        walk(r);
      } else if (st.isSymbolicLink()) {
        parts.push(header(r, 0, 0o777, '2', readlinkSync(join(dir, r))));
      } else if (st.isFile()) {
        const content = Object.hasOwn(replace, r) ? Buffer.from(replace[r]!) : readFileSync(join(dir, r));
        seen.add(r);
        total += content.length;
        if (total > MAX_BYTES) throw new Error(`source: ${dir} holds more than ${MAX_BYTES / 1024 / 1024} MiB`);
        parts.push(header(r, content.length, st.mode & 0o111 ? 0o755 : 0o644, '0'), content);
        const pad = (512 - (content.length % 512)) % 512;
        if (pad) parts.push(Buffer.alloc(pad));
        files++;
      }
    }
  };
  walk('');
  for (const [name, text] of Object.entries(replace)) {
    if (seen.has(name)) continue;
    const content = Buffer.from(text);
    parts.push(header(name, content.length, 0o644, '0'), content);
    const pad = (512 - (content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
    files++;
  }
  parts.push(Buffer.alloc(1024));
  // node:zlib and node:crypto on first use: loading them at start costs every paas-deploy step.
  const bytes = process.getBuiltinModule('node:zlib').gzipSync(Buffer.concat(parts), { level: 6 });
  return {
    bytes,
    sha256: `SHA256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex')}`,
    files,
  };
}

/** Reads one regular file out of an (un-gzipped) ustar archive; used to check what was uploaded. */
export function readTarEntry(tar: Buffer, wanted: string): Buffer | undefined {
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return undefined;
    const str = (a: number, n: number): string =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = [str(345, 155), str(0, 100)].filter(Boolean).join('/');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const body = off + 512;
    if (name === wanted && (str(156, 1) === '0' || str(156, 1) === '')) return tar.subarray(body, body + size);
    off = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
