import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { TIMEOUTS } from './timeouts.js';

/**
 * What a main step leaves for its post step to clean, and the post step's proof that it may.
 *
 * A main step that can be killed (SIGKILL leaves no `finally`) records every private temp dir it makes in
 * the action state *before* making it; the post step removes only paths it can prove main made: absolute,
 * already normal (no `..`, `.`, `//`, trailing `/`), directly under RUNNER_TEMP, named exactly
 * `deploy-kit-<kind>-<32 hex>` (the random token main chose and recorded), a real directory (not a link)
 * owned by this user. Anything else in the state is ignored, whoever wrote it.
 */

/** The state key holding the JSON list of temp dirs main made. */
export const TEMP_PATHS_STATE = 'deploy-kit-temp-paths';
/** The state key under which the SSH key folder is recorded (written by the target layer's openTargets). */
export const SSH_DIR_STATE = 'deploy-kit-ssh-dir';

/**
 * The state key under which the SSH control-socket folder is recorded (openTargets). It lives outside RUNNER_TEMP
 * (see socketRoot), so it has a proof of its own: directly under socketRoot(), named `dkcm-<6>`, a real directory
 * owned by this user. The post step first closes every master connection listening in it, then removes it.
 */
export const SSH_SOCKET_DIR_STATE = 'deploy-kit-ssh-socket-dir';

export type SaveState = (name: string, value: string) => void;

const TOKEN_DIR = /^deploy-kit-[a-z][a-z0-9]{0,19}-[0-9a-f]{32}$/;
/** SshSession's folder: mkdtemp's six random characters. */
const SSH_DIR = /^deploy-kit-ssh-[A-Za-z0-9]{6}$/;
/** SshSession's control-socket folder: mkdtemp's six random characters. */
const SOCKET_DIR = /^dkcm-[A-Za-z0-9]{6}$/;
/** A master's control socket in it: `cm-%C` (%C is a hex hash of the connection). */
const CONTROL_SOCKET = /^cm-[0-9a-f]{16,128}$/;
/** How many temp dirs one run records at most (a loop that makes more is a bug, not a reason to grow state). */
const MAX_RECORDED = 64;

let saver: SaveState | undefined;
let recorded: string[] = [];

/** Called once by the action entry wrapper: where recorded paths go (core.saveState). Tests leave it unset. */
export function recordTempPathsWith(save: SaveState | undefined): void {
  saver = save;
  recorded = [];
}

/**
 * Where SSH control-socket folders go: a Unix socket path is limited to ~104 bytes and ssh appends a random
 * suffix while binding, so the OS temp dir only when its path is short, else /tmp.
 */
export function socketRoot(): string {
  const t = tmpdir();
  return t.length < 20 ? t : '/tmp';
}

/** The folder temp dirs go under: RUNNER_TEMP on a runner, the OS temp dir elsewhere. */
export function tempRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNNER_TEMP || tmpdir();
}

/**
 * A new private (0700) directory `<root>/deploy-kit-<kind>-<32 hex>`, recorded for the post step before it
 * exists, so a main step killed at any point leaves nothing the post step does not know about.
 */
export function makeRecordedTempDir(kind: string, root: string = tempRoot()): string {
  if (!/^[a-z][a-z0-9]{0,19}$/.test(kind)) throw new Error(`temp dir kind "${kind}" must be lowercase letters/digits`);
  for (let attempt = 0; attempt < 5; attempt++) {
    // node:crypto loaded on first use, not at start-up (cold start of every bundle).
    const hex = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
    const dir = join(resolve(root), `deploy-kit-${kind}-${hex}`);
    if (saver && recorded.length < MAX_RECORDED) {
      recorded.push(dir);
      saver(TEMP_PATHS_STATE, JSON.stringify(recorded));
    }
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    chmodSync(dir, 0o700);
    return dir;
  }
  throw new Error(`could not make a temp dir under ${root}: five random names were taken`);
}

/**
 * The path itself when the post step may remove it, else why not. `pattern` is the exact name main gives
 * its directories.
 */
export function provableTempPath(
  value: string | undefined,
  runnerTemp: string | undefined,
  pattern: RegExp = TOKEN_DIR,
): { path: string } | { refused: string } {
  if (!value) return { refused: 'nothing recorded' };
  if (!runnerTemp || !isAbsolute(runnerTemp)) return { refused: 'RUNNER_TEMP is not set to an absolute path' };
  return provablePath(value, resolve(runnerTemp), 'RUNNER_TEMP', pattern);
}

/** `value` when it is a normal absolute path directly under `parent`, named by `pattern`, a real dir of ours. */
function provablePath(
  value: string,
  parent: string,
  parentName: string,
  pattern: RegExp,
): { path: string } | { refused: string } {
  if (!isAbsolute(value)) return { refused: 'not an absolute path' };
  // resolve() normalizes: a value that changes under it held `..`, `.`, `//` or a trailing slash.
  if (resolve(value) !== value || value.split('/').includes('..')) return { refused: 'not a normal path' };
  if (dirname(value) !== parent) return { refused: `not directly under ${parentName}` };
  if (!pattern.test(basename(value))) return { refused: 'not a name this action gives its temp dirs' };
  let st;
  try {
    st = lstatSync(value);
  } catch {
    return { refused: 'already gone' };
  }
  if (st.isSymbolicLink() || !st.isDirectory()) return { refused: 'not a real directory' };
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return { refused: 'owned by another user' };
  return { path: value };
}

/** The recorded paths of a state value (a JSON list of strings); anything else is an empty list. */
function recordedPaths(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const v = JSON.parse(value) as unknown;
    return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECORDED) : [];
  } catch {
    return [];
  }
}

/**
 * The post step of every action that makes temp files: removes the SSH key folder and every temp dir main
 * recorded, each only when provable. Free of @actions/core (reads STATE_* itself) so it starts at once.
 * Returns what it removed (for tests and the log).
 */
export function cleanupRecordedState(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (l) => void process.stdout.write(`${l}\n`),
): string[] {
  const removed: string[] = [];
  // Control sockets first: a main step killed while a master connection was up leaves it running (up to its
  // ControlPersist after last use); it is told to exit (bounded), then its folder goes.
  const sockets = env[`STATE_${SSH_SOCKET_DIR_STATE}`];
  const socketDir = sockets ? provablePath(sockets, resolve(socketRoot()), socketRoot(), SOCKET_DIR) : undefined;
  if (socketDir && 'path' in socketDir) {
    const closed = closeMasters(socketDir.path);
    if (closed) log(`closed ${closed} SSH master connection(s) left by the main step`);
    rmSync(socketDir.path, { recursive: true, force: true });
    removed.push(socketDir.path);
  }
  const candidates: [string | undefined, RegExp][] = [
    [env[`STATE_${SSH_DIR_STATE}`], SSH_DIR],
    ...recordedPaths(env[`STATE_${TEMP_PATHS_STATE}`]).map((p): [string, RegExp] => [p, TOKEN_DIR]),
  ];
  for (const [value, pattern] of candidates) {
    const r = provableTempPath(value, env.RUNNER_TEMP, pattern);
    if ('path' in r) {
      rmSync(r.path, { recursive: true, force: true });
      removed.push(r.path);
    }
  }
  if (removed.length) log(`removed ${removed.length} temp folder(s) left by the main step (keys, credentials, copies)`);
  return removed;
}

/**
 * Asks every master connection listening in `dir` (sockets named as SshSession names them, owned by this user)
 * to exit: `ssh -O exit -S <socket>`, each bounded. No config file, no connection: only the socket is used.
 * Returns how many acknowledged.
 */
function closeMasters(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  let closed = 0;
  for (const name of names.filter((n) => CONTROL_SOCKET.test(n)).slice(0, MAX_RECORDED)) {
    const socket = join(dir, name);
    let st;
    try {
      st = lstatSync(socket);
    } catch {
      continue;
    }
    if (!st.isSocket() || (uid !== undefined && st.uid !== uid)) continue;
    const r = process
      .getBuiltinModule('node:child_process')
      .spawnSync('ssh', ['-F', '/dev/null', '-S', socket, '-O', 'exit', 'deploy-kit-master'], {
        stdio: 'ignore',
        timeout: TIMEOUTS.sshMasterStopMs,
      });
    if (r.status === 0) closed++;
  }
  return closed;
}
