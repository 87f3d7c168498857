export type Preset = 'django' | 'alembic' | 'none';

export interface ReleaseStep {
  name: string;
  /** argv run in the working directory (inside the container for docker/compose modes). */
  argv: string[];
}

/**
 * Idempotent superuser step: creates DJANGO_SUPERUSER_USERNAME with DJANGO_SUPERUSER_EMAIL/PASSWORD
 * from the environment if it does not exist, leaves it alone otherwise. The password never leaves env.
 */
export const DJANGO_SUPERUSER_SCRIPT = [
  'import os',
  'from django.contrib.auth import get_user_model',
  'User = get_user_model()',
  'name = os.environ["DJANGO_SUPERUSER_USERNAME"]',
  'if User.objects.filter(**{User.USERNAME_FIELD: name}).exists():',
  '    print(f"superuser {name} exists: left as it is")',
  'else:',
  '    User.objects.create_superuser(name, os.environ.get("DJANGO_SUPERUSER_EMAIL", ""), os.environ["DJANGO_SUPERUSER_PASSWORD"])',
  '    print(f"superuser {name} created")',
].join('\n');

/** The framework's own commands, in order, then the extra commands (strict bash). */
export function releaseSteps(
  preset: Preset,
  python: string,
  opts: { superuser: boolean; commands: readonly string[] },
): ReleaseStep[] {
  const steps: ReleaseStep[] = [];
  if (preset === 'django') {
    steps.push({ name: 'migrate', argv: [python, 'manage.py', 'migrate', '--noinput'] });
    steps.push({ name: 'collectstatic', argv: [python, 'manage.py', 'collectstatic', '--noinput'] });
    if (opts.superuser)
      steps.push({ name: 'superuser', argv: [python, 'manage.py', 'shell', '-c', DJANGO_SUPERUSER_SCRIPT] });
  } else if (preset === 'alembic') {
    steps.push({ name: 'alembic upgrade head', argv: [python, '-m', 'alembic', 'upgrade', 'head'] });
  }
  for (const c of opts.commands)
    steps.push({ name: c.split('\n')[0]!.slice(0, 60), argv: ['bash', '-euo', 'pipefail', '-c', c] });
  return steps;
}

/** Asks the framework what is applied, so the `migrations` output comes from it, not from us. */
export function migrationProbe(preset: Preset, python: string): string[] | undefined {
  if (preset === 'django') return [python, 'manage.py', 'showmigrations', '--plan'];
  if (preset === 'alembic') return [python, '-m', 'alembic', 'current'];
  return undefined;
}

/** Django `showmigrations --plan`: `[X]  app.0001_initial` lines → applied names. */
export function appliedDjango(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\[X\]\s+(\S+)/.exec(l.trim())?.[1])
    .filter((x): x is string => !!x);
}

/** Django `showmigrations --plan`: the first `[ ]` line — after a failed migrate, the migration that failed. */
export function firstPendingDjango(text: string): string | undefined {
  for (const l of text.split('\n')) {
    const m = /^\[ \]\s+(\S+)/.exec(l.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** Alembic `current`: revision ids (`abc123 (head)`). */
export function alembicRevisions(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^([0-9a-f]{4,})\b/.exec(l.trim())?.[1])
    .filter((x): x is string => !!x);
}
