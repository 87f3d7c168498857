import type { Command } from '../../lib/command.js';
import { composeCommand, type ComposeProject } from '../../lib/compose.js';

/**
 * compose-service: the database tools run inside the Compose database service (`exec -T`), so the client
 * always matches the server. Commands stay data: `inService` turns any engine Command into the compose
 * argv that runs it in the container. Only non-secret env crosses into argv as `-e NAME=value` (the path of
 * the credentials file, timeouts); the password itself is written into the container through stdin
 * (`writeFileInServiceCommand`, umask 077) and never appears in any argv.
 */
export interface ComposeTarget {
  project: ComposeProject;
  service: string;
  /** DOCKER_HOST for the compose process (travels as env: locally, or over SSH via stdin). */
  dockerHost?: string;
}

/** Variables that carry secrets: refused, they must never become `-e NAME=value` argv. */
const SECRET_ENV = /^(PGPASSWORD|MYSQL_PWD|MARIADB_PWD|.*(PASSWORD|SECRET|TOKEN).*)$/i;

function outerEnv(t: ComposeTarget): Record<string, string> | undefined {
  return t.dockerHost ? { DOCKER_HOST: t.dockerHost } : undefined;
}

/** `compose exec -T [-e NAME=value …] <service> <argv…>` for an engine command (its stdin passes through). */
export function inService(t: ComposeTarget, cmd: Command): Command {
  const envFlags: string[] = [];
  for (const [name, value] of Object.entries(cmd.env ?? {})) {
    if (SECRET_ENV.test(name)) throw new Error(`refusing to pass ${name} into the container on a command line`);
    envFlags.push('-e', `${name}=${value}`);
  }
  return composeCommand(t.project, ['exec', '-T', ...envFlags, t.service, ...cmd.argv], {
    env: outerEnv(t),
    ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}),
    label: `${cmd.label ?? cmd.argv[0]} in service ${t.service}`,
  });
}

/**
 * Writes `content` to `path` through stdin, mode 0600 (umask 077), where the command runs (runner, SSH host):
 * the secret never reaches argv. The script is constant; the path is a positional parameter.
 */
export function writeFileCommand(path: string, content: string): Command {
  return { argv: ['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path], stdin: content, label: 'write credentials file' };
}

/** writeFileCommand inside the service. */
export function writeFileInServiceCommand(t: ComposeTarget, path: string, content: string): Command {
  return inService(t, writeFileCommand(path, content));
}

/** A private temp dir inside the service (prints its path). */
export function mktempInServiceCommand(t: ComposeTarget): Command {
  return inService(t, { argv: ['mktemp', '-d'], label: 'mktemp -d' });
}

/**
 * One exec: makes a private temp dir in the service, writes stdin (`content`) to `<dir>/<name>` with umask
 * 077 and prints the dir. The script is constant; the file name is a positional parameter.
 */
export function mktempWithFileInServiceCommand(t: ComposeTarget, name: string, content: string): Command {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`bad file name ${name}`);
  return inService(t, {
    argv: ['sh', '-c', 'umask 077 && d=$(mktemp -d) && cat > "$d/$1" && printf %s "$d"', 'sh', name],
    stdin: content,
    label: 'write credentials file',
  });
}

/** Removes the private temp dir (and the credentials file in it) from the container afterwards. */
export function removeInServiceCommand(t: ComposeTarget, path: string): Command {
  return inService(t, { argv: ['rm', '-rf', '--', path], label: 'cleanup' });
}

/**
 * Runs `cmd` with `file` (a path where the executor runs) as its stdin, without holding it in memory:
 * `sh -c 'f=$1; shift; exec "$@" < "$f"' sh <file> <argv…>`. The script is constant; file and argv are
 * positional parameters, so nothing from input is parsed by the shell.
 */
export function withStdinFile(cmd: Command, file: string): Command {
  return {
    ...cmd,
    argv: ['sh', '-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', file, ...cmd.argv],
    label: cmd.label ?? cmd.argv[0],
  };
}
