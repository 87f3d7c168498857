import type { Command } from '../../lib/command.js';

export type Compression = 'gzip' | 'zstd' | 'none';
export const COMPRESSIONS: readonly Compression[] = ['gzip', 'zstd', 'none'];

/** File-name suffix added by the compressor. */
export function compressionSuffix(c: Compression): string {
  return c === 'gzip' ? '.gz' : c === 'zstd' ? '.zst' : '';
}

/** The compressor as its own process: reads stdin, writes stdout (its exit status is checked). */
export function compressCommand(c: Exclude<Compression, 'none'>): Command {
  return c === 'gzip'
    ? { argv: ['gzip', '-c', '-6'], label: 'gzip' }
    : { argv: ['zstd', '-c', '-q', '-3', '-T0'], label: 'zstd' };
}

/** Decompresses `file` to stdout. */
export function decompressCommand(c: Exclude<Compression, 'none'>, file: string): Command {
  return c === 'gzip'
    ? { argv: ['gzip', '-dc', '--', file], label: 'gzip -d' }
    : { argv: ['zstd', '-dc', '-q', '--', file], label: 'zstd -d' };
}

/** Compression of an existing backup from its name. */
export function compressionOf(path: string): Compression {
  if (path.endsWith('.gz')) return 'gzip';
  if (path.endsWith('.zst')) return 'zstd';
  return 'none';
}
