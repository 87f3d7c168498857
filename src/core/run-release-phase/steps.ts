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

/**
 * Runs the preset's steps in one process tree (one container start for all of them, not one per step and per
 * status read): the framework's migration status before the first step (`before`) and after the last
 * (`after`), each line printed as `<mark> before <line>` / `<mark> after <line>`; each step between
 * `<mark> step <i>` and `<mark> step-end <i> <exit code> <ms>`. The steps' own output passes through as it
 * is. The first step that fails ends the run with its exit code; a status read that fails prints
 * `<mark> before-failed <code>` (or after-failed) and ends it with its code. Python runs it (the presets are
 * Python's). A constant script: the mark, the probe and the steps are positional parameters.
 */
export const PRESET_RUNNER = [
  'import subprocess, sys, time',
  'a = sys.argv[1:]',
  'mark, before, after, n = a[0], a[1] == "1", a[2] == "1", int(a[3])',
  'probe, rest, steps = a[4:4 + n], a[4 + n:], []',
  'while rest:',
  '    k = int(rest[0])',
  '    steps.append(rest[1:1 + k])',
  '    rest = rest[1 + k:]',
  'def status(tag):',
  '    sys.stdout.flush()',
  '    r = subprocess.run(probe, stdout=subprocess.PIPE)',
  '    for line in r.stdout.decode("utf-8", "replace").splitlines():',
  '        print(mark, tag, line, flush=True)',
  '    if r.returncode != 0:',
  '        print(mark, tag + "-failed", r.returncode, flush=True)',
  '        sys.exit(r.returncode or 1)',
  'if before:',
  '    status("before")',
  'for i, step in enumerate(steps):',
  '    print(mark, "step", i, flush=True)',
  '    t = time.monotonic()',
  '    code = subprocess.call(step)',
  '    sys.stdout.flush()',
  '    print(mark, "step-end", i, code, int((time.monotonic() - t) * 1000), flush=True)',
  '    if code != 0:',
  '        sys.exit(code)',
  'if after:',
  '    status("after")',
].join('\n');

/** argv of PRESET_RUNNER (run with `python`, the preset's interpreter) over `steps`. */
export function presetRun(
  python: string,
  steps: string[][],
  probe: string[],
  o: { mark: string; before: boolean; after: boolean },
): string[] {
  return [
    python,
    '-c',
    PRESET_RUNNER,
    o.mark,
    o.before ? '1' : '0',
    o.after ? '1' : '0',
    String(probe.length),
    ...probe,
    ...steps.flatMap((st) => [String(st.length), ...st]),
  ];
}

/** What PRESET_RUNNER printed under its mark. */
export interface StatusCapture {
  before?: string;
  after?: string;
  failed?: { tag: string; code: number };
  /** Steps that ended: index, exit code, ms. */
  ended: { i: number; code: number; ms: number }[];
  /** The step that started last. */
  current?: number;
  /** Called when a step starts. */
  onStep?: (i: number) => void;
}

/** Takes a line of PRESET_RUNNER's stdout: true when it was one of its own (kept out of the log). */
export function captureStatus(cap: StatusCapture, mark: string, line: string): boolean {
  if (!line.startsWith(`${mark} `)) return false;
  const rest = line.slice(mark.length + 1);
  const step = /^step (\d+)$/.exec(rest);
  if (step) {
    cap.current = Number(step[1]);
    cap.onStep?.(cap.current);
    return true;
  }
  const end = /^step-end (\d+) (-?\d+) (\d+)$/.exec(rest);
  if (end) {
    cap.ended.push({ i: Number(end[1]), code: Number(end[2]), ms: Number(end[3]) });
    return true;
  }
  const m = /^(before|after)(-failed)? ?(.*)$/s.exec(rest);
  if (!m) return false;
  const tag = m[1] as 'before' | 'after';
  if (m[2]) cap.failed = { tag, code: Number(m[3]) || 1 };
  else cap[tag] = `${cap[tag] ?? ''}${m[3]}\n`;
  return true;
}
