import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  fsyncSync,
  openSync,
  closeSync,
  linkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { Command } from '../../lib/command.js';
import { commandLabel } from '../../lib/command.js';
import { CommandError, describeFailure, succeeded, type ExecResult, type Executor } from '../../lib/exec/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import { compressCommand, type Compression } from './compress.js';
import { heldSuffix } from './leftovers.js';
import { noteStreamed } from './memory.js';

export { sha256File } from '../../lib/target/sha256.js';

/** Where the dump bytes come from: a command's stdout (streamed) or a file already written (sqlite .backup). */
export type DumpSource = { kind: 'command'; exec: Executor; cmd: Command } | { kind: 'file'; path: string };

export interface StreamResult {
  path: string;
  /** Bytes of the final (possibly compressed) file. */
  sizeBytes: number;
  /** Bytes the dump produced before compression. */
  rawBytes: number;
  sha256: string;
}

export interface StreamOptions {
  compression: Compression;
  /** A dump smaller than this (before compression) is refused. */
  minBytes: number;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Replaces the compressor command (tests: a compressor that fails). */
  compressor?: Command;
  /** Called with the running count of raw dump bytes. */
  onProgress?: (rawBytes: number) => void;
  /**
   * Where the finished file goes instead of `finalPath` when it still has to be verified
   * (`<final>.unverified~host~pid`); the caller promotes it with `promoteHeld` once verification passed.
   */
  holdAs?: string;
}

/** Counts bytes flowing through; frees the dead chunks as they pile up (memory.ts). */
function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      noteStreamed(chunk.length);
      cb(null, chunk);
    },
  });
}

/** fsync of a file or directory by path. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Runs a local process reading `input` and writing to `output`; resolves with its exit status. */
function runFilter(cmd: Command, input: Readable, output: Writable, signal?: AbortSignal): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const [file, ...args] = cmd.argv;
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...cmd.env } });
    let stderr = '';
    let outBytes = 0;
    let settled = false;
    const done = (r: Omit<ExecResult, 'durationMs' | 'stdout' | 'stderr' | 'stdoutBytes'>): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, stdout: '', stderr, durationMs: Date.now() - started, stdoutBytes: outBytes });
    };
    const onAbort = (): void => void child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 20_000) stderr += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => (outBytes += c.length));
    child.stdin.on('error', () => undefined);
    input.pipe(child.stdin);
    child.stdout.pipe(output, { end: false });
    child.on('error', (error) => done({ code: null, signal: null, end: 'spawn-error', error }));
    child.on('close', (code, sig) => done({ code, signal: sig, end: signal?.aborted ? 'aborted' : 'exit' }));
  });
}

/**
 * Streams a dump into `<finalPath>.partial~<host>~<pid>` (optionally through a compressor process), hashing on
 * the way, then checks every stage's exit status and the minimum size, fsyncs and renames to `finalPath` (or
 * to `holdAs` while it waits for verification).
 * Nothing is ever held in memory whole. On any failure the partial file is removed and an error thrown:
 * a failed or killed run leaves no file that looks like a backup.
 */
export async function streamDumpToFile(
  source: DumpSource,
  finalPath: string,
  opts: StreamOptions,
): Promise<StreamResult> {
  const partial = `${finalPath}${heldSuffix('partial')}`;
  const target = opts.holdAs ?? finalPath;
  const hash = createHash('sha256');
  let rawBytes = 0;
  const file = createWriteStream(partial, { mode: 0o600 });
  const fileDone = finished(file);
  fileDone.catch(() => undefined);
  // The tail of the chain: hash + count + write. Never ended by upstream pipes (end: false); we end it.
  const tail = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  tail.pipe(file);
  const rawCounter = counter((n) => {
    rawBytes += n;
    opts.onProgress?.(rawBytes);
  });

  let renamed = false;
  try {
    const failures: string[] = [];
    let compressor: Promise<ExecResult> | undefined;
    let compressorCmd: Command | undefined;
    // A compressor that dies stops the dump too (otherwise the dump would block on a pipe nobody reads).
    const stopDump = new AbortController();
    const onOuterAbort = (): void => stopDump.abort();
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (opts.signal?.aborted) stopDump.abort();
    if (opts.compression !== 'none') {
      compressorCmd = opts.compressor ?? compressCommand(opts.compression);
      compressor = runFilter(compressorCmd, rawCounter, tail, opts.signal);
      void compressor.then((c) => {
        if (!succeeded(c)) {
          stopDump.abort();
          rawCounter.unpipe();
          rawCounter.resume();
        }
      });
    } else {
      rawCounter.pipe(tail, { end: false });
    }

    if (source.kind === 'command') {
      const r = await source.exec.run(source.cmd, {
        stdoutSink: rawCounter,
        timeoutMs: opts.timeoutMs,
        idleTimeoutMs: opts.idleTimeoutMs,
        signal: stopDump.signal,
      });
      opts.signal?.removeEventListener('abort', onOuterAbort);
      if (!succeeded(r)) failures.push(describeFailure(commandLabel(source.cmd), source.exec.target, r));
      else if (r.stderr.trim() && /error|fatal/i.test(r.stderr)) {
        failures.push(`"${commandLabel(source.cmd)}" exited 0 but reported: ${r.stderr.trim().slice(-2000)}`);
      }
    } else {
      await pipeline(createReadStream(source.path), rawCounter, { end: false });
    }
    rawCounter.end();
    await finished(rawCounter);
    if (compressor) {
      const c = await compressor;
      if (!succeeded(c)) failures.push(describeFailure(commandLabel(compressorCmd!), 'local', c));
    }
    tail.end();
    await fileDone;
    if (opts.signal?.aborted) failures.push('the backup was cancelled');
    if (failures.length) throw new Error(failures.join('\n'));
    if (rawBytes < opts.minBytes) {
      throw new Error(
        `the dump is only ${rawBytes} bytes (minimum ${opts.minBytes}, input \`min-size-bytes\`): refusing it as a backup`,
      );
    }
    fsyncPath(partial);
    // link + unlink instead of rename: never replaces an existing backup of the same name (EEXIST).
    try {
      linkSync(partial, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${target} already exists; not replacing it`);
      throw e;
    }
    renamed = true;
    rmSync(partial);
    fsyncPath(dirname(target));
    return { path: target, sizeBytes: statSync(target).size, rawBytes, sha256: hash.digest('hex') };
  } catch (e) {
    tail.destroy();
    file.destroy();
    rmSync(partial, { force: true });
    if (renamed) rmSync(target, { force: true });
    throw e;
  }
}

/** Runs `cmd` locally with stdout streamed into `outPath` (e.g. a decompressor); throws unless it exits 0. */
export async function commandToFile(
  exec: Executor,
  cmd: Command,
  outPath: string,
  signal?: AbortSignal,
): Promise<void> {
  const out = createWriteStream(outPath, { mode: 0o600 });
  const done = finished(out);
  done.catch(() => undefined);
  const r = await exec.run(cmd, { stdoutSink: out, signal, timeoutMs: TIMEOUTS.fileTransferMs });
  out.end();
  await done;
  if (!succeeded(r)) throw new CommandError(describeFailure(commandLabel(cmd), exec.target, r), r);
}

/**
 * Gives a verified backup its final name: link `held` to `finalPath` (never replacing an existing file), drop
 * the held name, fsync the directory. Until this returns, no file under the final name exists.
 */
export function promoteHeld(held: string, finalPath: string): void {
  try {
    linkSync(held, finalPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new Error(`${finalPath} already exists; not replacing it`);
    throw e;
  }
  rmSync(held);
  fsyncPath(dirname(finalPath));
}
