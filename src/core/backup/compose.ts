import type { Command } from '../../lib/command.js';
import { composeCommand, type ComposeProject } from '../../lib/compose.js';

/**
 * Dumps inside the Compose database service (`exec -T`), so pg_dump matches the server. Not wired into the
 * action yet (no PostgreSQL image can be pulled where this is tested); argv builders only, unit-tested.
 * The password never crosses argv: it is written into the container with `writePgpassInServiceCommand`
 * (stdin) and only its path travels as `-e PGPASSFILE=…`.
 */
export function writePgpassInServiceCommand(
  p: ComposeProject,
  service: string,
  path: string,
  pgpassLine: string,
): Command {
  return composeCommand(p, ['exec', '-T', service, 'sh', '-c', 'umask 077 && cat > "$1"', 'sh', path], {
    stdin: pgpassLine,
    label: `write PGPASSFILE in ${service}`,
  });
}

export function composePgDumpCommand(
  p: ComposeProject,
  service: string,
  user: string,
  database: string,
  pgpassPath: string,
): Command {
  return composeCommand(
    p,
    ['exec', '-T', '-e', `PGPASSFILE=${pgpassPath}`, service, 'pg_dump', '-U', user, '-w', '-Fc', '-d', database],
    { label: `pg_dump in ${service}` },
  );
}

/** Removes the credentials file from the container afterwards. */
export function removeInServiceCommand(p: ComposeProject, service: string, path: string): Command {
  return composeCommand(p, ['exec', '-T', service, 'rm', '-f', '--', path], { label: `cleanup in ${service}` });
}
