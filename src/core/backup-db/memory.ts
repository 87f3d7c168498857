/**
 * Flat memory while a backup streams through node (the dump, the encryption, the upload, the read-back, the
 * download of a restore).
 *
 * Why memory grew with the size of the backup although nothing is kept: every chunk of a stream (64 KiB from a
 * pipe, a socket or a file) is a fresh Buffer, dead a moment later. Its bytes live outside the JS heap (an
 * ArrayBuffer backing store), while the JS object that holds them is a few dozen bytes. V8 starts a young-
 * generation GC when the *JS* young generation fills up, which those tiny objects almost never do, and a full GC
 * for outside memory only after it grew by tens of MB since the last one (measured here: a 300 MB GetObject read
 * and hashed kept 70 MB of dead chunks resident, with a JS heap of 10-20 MB; with a scavenge every 8 MiB, 13 MB).
 * At hundreds of MB/s the dead chunks between two of V8's own collections made the peak RSS, and a longer
 * transfer reached a higher peak.
 *
 * So every stream of the backup reports its bytes here, and every GC_EVERY_BYTES (summed over all streams of the
 * process) a young-generation GC frees the dead chunks — a scavenge of a 10-20 MB heap, well under a
 * millisecond. `gc` comes from V8's documented `--expose-gc` flag, set only long enough to fetch the function into
 * a fresh context (the global scope never gets a `gc`). Where V8 refuses, nothing changes but the peak.
 */

/** Bytes streamed (over all streams) between two scavenges. */
export const GC_EVERY_BYTES = 2 * 1024 * 1024;

/** A young-generation GC, when V8 lets the process ask for one; undefined when it cannot. */
function lookupMinorGc(): (() => void) | undefined {
  try {
    const v8 = process.getBuiltinModule('node:v8');
    const vm = process.getBuiltinModule('node:vm');
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    v8.setFlagsFromString('--no-expose-gc');
    if (typeof gc !== 'function') return undefined;
    return () => (gc as (o: { type: 'minor' }) => void)({ type: 'minor' });
  } catch {
    return undefined;
  }
}

let minorGc: (() => void) | undefined | null = null;
let sinceGc = 0;

/** Counts `bytes` that just streamed through node; frees the dead chunks every GC_EVERY_BYTES. */
export function noteStreamed(bytes: number): void {
  sinceGc += bytes;
  if (sinceGc < GC_EVERY_BYTES) return;
  sinceGc = 0;
  if (minorGc === null) minorGc = lookupMinorGc();
  minorGc?.();
}
