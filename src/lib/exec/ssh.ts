import type { Command } from '../command.js';
import { assertEnvName, quoteArgv } from '../quote.js';
import { TIMEOUTS } from '../timeouts.js';
import { runProcess } from './process.js';
import type { SshSession } from './ssh-config.js';
import { formatTarget, type SshTarget } from './ssh-target.js';
import type { ExecOptions, ExecResult, Executor } from './types.js';

/**
 * Remote side of every command. Positional args: run-id, cwd, env-flag, argv...
 * When env-flag is 1, NUL-separated NAME=value pairs arrive first on stdin, ended by an empty
 * one; bash's `read` takes stdin one byte at a time from a pipe, so the command's own stdin
 * follows untouched. Values never appear in argv, in the process list, or in an export line.
 * sshd starts every session in a process group of its own; the wrapper records that group under
 * the run id so that a cancelled or timed-out command can be stopped on the host (REMOTE_STOP):
 * killing the local client alone leaves it running there, and with a shared connection the
 * client does not even return until it ends.
 */
const REMOTE_WRAPPER = [
  'id=$1; cwd=$2; withenv=$3; shift 3',
  'run="${TMPDIR:-/tmp}/deploy-kit-pgid-$id"',
  '(umask 077; cut -d " " -f 5 /proc/$$/stat > "$run") 2>/dev/null || run=',
  'if [ "$withenv" = 1 ]; then',
  '  while IFS= read -r -d "" kv; do [ -z "$kv" ] && break; export -- "$kv"; done',
  'fi',
  'if [ -n "$cwd" ]; then cd -- "$cwd" || { [ -z "$run" ] || rm -f -- "$run"; exit 97; }; fi',
  '"$@"; rc=$?',
  '[ -z "$run" ] || rm -f -- "$run"',
  'exit $rc',
].join('\n');

/** Stops a recorded run's process group: TERM, up to 5 s to go, then KILL. Positional arg: run-id. */
const REMOTE_STOP = [
  'run="${TMPDIR:-/tmp}/deploy-kit-pgid-$1"',
  // A cancel right after the start can arrive before the wrapper wrote its file: give it 2 s to appear.
  'for _ in $(seq 20); do [ -s "$run" ] && break; sleep 0.1; done',
  'read -r g < "$run" 2>/dev/null || exit 0',
  'rm -f -- "$run"',
  '[ "$g" -gt 1 ] 2>/dev/null || exit 0',
  'kill -TERM -- "-$g" 2>/dev/null || exit 0',
  'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$g" 2>/dev/null || exit 0; sleep 0.5; done',
  'kill -KILL -- "-$g" 2>/dev/null || true',
].join('\n');

const bashArgv = (script: string, ...args: string[]): string =>
  quoteArgv(['bash', '--norc', '--noprofile', '-c', script, 'deploy-kit', ...args]);

export function remoteStopCommandString(runId: string): string {
  return bashArgv(REMOTE_STOP, runId);
}

/** 16 hex digits naming one remote command (node:crypto loads on first use, not at start-up). */
const newRunId = (): string => process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex');

export function remoteCommandString(
  cmd: Command,
  runId: string = newRunId(),
): { line: string; stdinPrefix: Buffer | undefined } {
  const env = cmd.env ?? {};
  const names = Object.keys(env);
  let prefix: Buffer | undefined;
  if (names.length > 0) {
    const parts: string[] = [];
    for (const name of names) {
      assertEnvName(name);
      const value = env[name]!;
      if (value.includes('\0')) throw new Error(`env ${name} contains a NUL byte`);
      parts.push(`${name}=${value}\0`);
    }
    parts.push('\0');
    prefix = Buffer.from(parts.join(''), 'utf8');
  }
  // --norc: bash started by sshd would source ~/.bashrc on every command (slow, and not ours to run).
  const line = bashArgv(REMOTE_WRAPPER, runId, cmd.cwd ?? '', prefix ? '1' : '0', ...cmd.argv);
  return { line, stdinPrefix: prefix };
}

/** Runs commands on one host through the system OpenSSH client. */
export class SshExecutor implements Executor {
  readonly target: string;

  constructor(
    private readonly session: SshSession,
    readonly host: SshTarget,
  ) {
    this.target = formatTarget(host);
  }

  /** Opens the shared connection that later commands (and rsync) reuse. */
  connect(): void {
    this.session.startMaster(this.host);
  }

  async run(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
    if (cmd.argv.length === 0) throw new Error('empty command');
    const runId = newRunId();
    const { line, stdinPrefix } = remoteCommandString(cmd, runId);
    const [file, ...args] = [...this.session.sshArgv(this.host), line];
    let stdin: Buffer | string | undefined = cmd.stdin;
    if (stdinPrefix) {
      stdin = Buffer.concat([stdinPrefix, Buffer.from(cmd.stdin ?? '')]);
    }
    let stopping: Promise<unknown> | undefined;
    // Not tied to the caller's signal: stopping the remote command is what that signal asks for.
    const onKill = (): void => {
      const [f, ...a] = [...this.session.sshArgv(this.host), remoteStopCommandString(runId)];
      stopping = runProcess({ file: f!, args: a, env: process.env }, { timeoutMs: TIMEOUTS.remoteStopMs }).catch(
        () => undefined,
      );
    };
    const r = await runProcess({ file: file!, args, env: process.env, stdin, onKill }, opts);
    await stopping;
    if (r.end === 'exit' && r.code === 255) {
      const why = explainSshError(r.stderr, this.host);
      if (why) return { ...r, end: 'exit', stderr: `${r.stderr}\n${why}` };
    }
    return r;
  }
}

/** Turns OpenSSH's connection errors into a message that names the fix; undefined if not an SSH error. */
export function explainSshError(stderr: string, t: SshTarget): string | undefined {
  const where = `${t.host}:${t.port}`;
  const scan = `ssh-keyscan -p ${t.port} ${t.host}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|key for .* has changed/i.test(stderr)) {
    if (
      /No .*host key is known|not in known_hosts|No ED25519 host key is known|is not known/i.test(stderr) &&
      !/HAS CHANGED/.test(stderr)
    ) {
      return `deploy-kit: host key for ${where} is not in known-hosts; run \`${scan}\` from a trusted machine and add the output to the known-hosts secret`;
    }
    return `deploy-kit: host key for ${where} does not match known-hosts; run \`${scan}\` from a trusted machine and update the known-hosts secret (if the server was not rebuilt, stop: this may be an attack)`;
  }
  if (/Permission denied \(/i.test(stderr)) {
    return `deploy-kit: ${t.user}@${where} refused the key; check that the public key of private-key is in ~${t.user}/.ssh/authorized_keys`;
  }
  if (/Connection refused/i.test(stderr)) {
    return `deploy-kit: nothing accepts SSH connections on ${where}; check the host, the port and that sshd runs`;
  }
  if (/timed out|Connection timed out/i.test(stderr)) {
    return `deploy-kit: connecting to ${where} timed out; check the address, security groups and firewalls`;
  }
  if (/Could not resolve hostname/i.test(stderr)) {
    return `deploy-kit: ${t.host} does not resolve; check the host name`;
  }
  if (/Load key .*: (invalid format|error in libcrypto|incorrect passphrase)/i.test(stderr)) {
    return 'deploy-kit: private-key could not be loaded; paste the whole key including the BEGIN/END lines, and set passphrase if it is encrypted';
  }
  return undefined;
}
