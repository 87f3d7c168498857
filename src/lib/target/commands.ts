import type { Command } from '../command.js';

/**
 * The small commands a target runs on itself, as data. Every script is a constant; paths and names are
 * positional parameters, so nothing from input is ever parsed by a shell.
 */

/** A private (0700) temp dir; prints its path. */
export function mktempCommand(): Command {
  return { argv: ['mktemp', '-d', '-t', 'deploy-kit.XXXXXXXXXX'], label: 'mktemp -d' };
}

/** Writes stdin to `path` with mode 0600 (umask 077). */
export function writeSecretCommand(path: string, content: string | Buffer): Command {
  return {
    argv: ['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path],
    stdin: content,
    label: 'write secret file',
  };
}

/** Prints the sha256 of `path` (read through a redirect: no file-name escaping in the output). */
export function sha256Command(path: string): Command {
  return { argv: ['sh', '-c', 'sha256sum < "$1"', 'sh', path], label: 'sha256sum' };
}

/** Writes stdin to `path` (0600) and prints its sha256, in one command. */
export function receiveFileCommand(path: string): Command {
  return {
    argv: ['sh', '-c', 'umask 077 && cat > "$1" && sha256sum < "$1"', 'sh', path],
    label: 'receive file',
  };
}

export function removeCommand(path: string): Command {
  return { argv: ['rm', '-rf', '--', path], label: 'cleanup' };
}

/**
 * Runs `cmd` with `file` as its stdin, without holding it in memory:
 * `sh -c 'f=$1; shift; exec "$@" < "$f"' sh <file> <argv…>`.
 */
export function withStdinFile(cmd: Command, file: string): Command {
  return {
    ...cmd,
    argv: ['sh', '-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', file, ...cmd.argv],
    label: cmd.label ?? cmd.argv[0],
  };
}

/** Runs `cmd` with its stdout written to `file` (0600). */
export function withStdoutFile(cmd: Command, file: string): Command {
  return {
    ...cmd,
    argv: ['sh', '-c', 'f=$1; shift; umask 077; exec "$@" > "$f"', 'sh', file, ...cmd.argv],
    label: cmd.label ?? cmd.argv[0],
  };
}

/** The sha256 printed by sha256sum (`<hex>  -`); throws when the output holds none. */
export function parseSha256(stdout: string, where: string): string {
  const m = /^([0-9a-f]{64})\b/m.exec(stdout.trim());
  if (!m) throw new Error(`sha256sum on ${where} printed no checksum: ${stdout.slice(0, 200)}`);
  return m[1]!;
}
