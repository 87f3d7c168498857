import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecked } from '../../src/lib/exec/types.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { readMaintenanceConfig } from '../../src/core/maintenance-dispatch/config.js';
import {
  allowed,
  findComposeFileCommand,
  parseRollbackState,
  pickRollback,
  rollbackStateCommand,
  setEnvCommand,
  splitCommandLine,
} from '../../src/core/maintenance-dispatch/menu.js';
import {
  maintenanceOnCommand,
  parseMaintenance,
  isActive,
} from '../../src/core/maintenance-dispatch/maintenance-mode.js';
import { mapInputs } from '../helpers/inputs.js';

describe('exec allow-list', () => {
  it('splits words with quotes and no expansion of any kind', () => {
    expect(splitCommandLine(`python manage.py shell -c 'print("a b")' "$HOME" \`id\``)).toEqual([
      'python',
      'manage.py',
      'shell',
      '-c',
      'print("a b")',
      '$HOME',
      '`id`',
    ]);
    expect(splitCommandLine('a "" b')).toEqual(['a', '', 'b']);
    expect(() => splitCommandLine("echo 'open")).toThrow(/unbalanced/);
  });
  it('matches exact command lines; a last * allows further arguments; nothing else', () => {
    const allow = ['python manage.py clearsessions', 'python manage.py showmigrations *'].map(splitCommandLine);
    expect(allowed(['python', 'manage.py', 'clearsessions'], allow)).toBe(true);
    expect(allowed(['python', 'manage.py', 'clearsessions', '--flush'], allow)).toBe(false);
    expect(allowed(['python', 'manage.py', 'showmigrations', 'shop'], allow)).toBe(true);
    expect(allowed(['python', 'manage.py', 'showmigrations'], allow)).toBe(true);
    expect(allowed(['python', 'manage.py', 'shell'], allow)).toBe(false);
    expect(allowed(['python manage.py clearsessions'], allow)).toBe(false);
  });
});

describe('rollback and maintenance builders', () => {
  it('values travel as arguments of constant scripts', () => {
    const hostile = "x'; rm -rf / #$(id)";
    const c = setEnvCommand('/srv/app', 'APP_IMAGE', hostile);
    expect(c.argv.slice(3)).toEqual(['sh', '/srv/app', 'APP_IMAGE', hostile]);
    expect(c.argv[2]).not.toContain(hostile);
    expect(() => setEnvCommand('/srv/app', 'APP_IMAGE', 'a\nEVIL=1')).toThrow(/line break/);
    expect(rollbackStateCommand('/srv/app', 'APP_IMAGE').argv.slice(3)).toEqual(['sh', '/srv/app', 'APP_IMAGE']);
    const on = maintenanceOnCommand('/srv/app', { until: 'u', reason: hostile, by: 'b', since: 's' }, '<html>');
    expect(on.stdin).toBe('<html>');
    expect(on.argv[2]).not.toContain(hostile);
  });
  it('parses the history, the recorded images and the live value', () => {
    const st = parseRollbackState(
      '{"event":"activate","id":"r1","at":"2026-01-01T00:00:00Z"}\nnot json\n@@images\nr1\tapp@sha256:aa\nr2\tapp@sha256:bb\n@@env\napp@sha256:bb\n',
    );
    expect(st.history).toEqual([{ event: 'activate', id: 'r1', at: '2026-01-01T00:00:00Z' }]);
    expect([...st.images]).toEqual([
      ['r1', 'app@sha256:aa'],
      ['r2', 'app@sha256:bb'],
    ]);
    expect(st.live).toBe('app@sha256:bb');
  });
  it('rollback takes the image from the history; the images/ file only for releases recorded before', () => {
    const where = { dir: '/srv/app', host: 'web-1', imageVariable: 'APP_IMAGE' };
    const line = (id: string, image?: string) =>
      JSON.stringify({ event: 'activate', id, at: '2026-01-01T00:00:00Z', ...(image ? { image } : {}) });
    // r1 from an old history (image only in images/), r2 and r3 with the image in their event; the file for
    // r2 disagrees (a stale copy): the history wins.
    const st = parseRollbackState(
      [
        line('r1'),
        line('r2', 'app@sha256:b2'),
        line('r3', 'app@sha256:c3'),
        '@@images',
        'r1\tapp@sha256:a1',
        'r2\tapp@sha256:zz',
        '@@env',
        'app@sha256:c3',
        '',
      ].join('\n'),
    );
    expect(pickRollback(st, 'previous', where)).toEqual({ current: 'r3', to: 'r2', image: 'app@sha256:b2' });
    expect(pickRollback(st, 'r1', where)).toEqual({ current: 'r3', to: 'r1', image: 'app@sha256:a1' });
    expect(() => pickRollback(st, 'r3', where)).toThrow('rollback: r3 is already live; nothing was changed');
    expect(() => pickRollback(st, 'r9', where)).toThrow(
      'rollback: release r9 has no recorded image (neither in the history nor in /srv/app/.deploy-kit/images/); nothing was changed',
    );
    // A release without an image anywhere is not a rollback target; nothing older is left.
    const bare = parseRollbackState([line('r1'), line('r2', 'app@sha256:b2'), '@@images', '@@env', ''].join('\n'));
    expect(() => pickRollback(bare, 'previous', where)).toThrow(
      'no earlier good release is recorded on web-1 (current: r2)',
    );
    // An images/ file that would read as an option is refused before anything changes.
    const odd = parseRollbackState([line('r1'), line('r2'), '@@images', 'r1\t--privileged', '@@env', ''].join('\n'));
    expect(() => pickRollback(odd, 'previous', where)).toThrow('is not an image reference; nothing was changed');
    expect(() => pickRollback(parseRollbackState('@@images\n@@env\n'), 'previous', where)).toThrow(
      'no release history in /srv/app/.deploy-kit/releases.jsonl on web-1',
    );
  });
  it('a maintenance switch is active until its end; a foreign one (not JSON) has no end', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    const w = parseMaintenance('@maintenance on\n{"until":"2026-11-30T13:00:00Z","reason":"r","by":"b","since":"s"}')!;
    expect(isActive(w, now)).toBe(true);
    expect(isActive(w, new Date('2026-11-30T13:00:01Z'))).toBe(false);
    expect(isActive(parseMaintenance('@maintenance on\nhello')!, now)).toBe(true);
    expect(parseMaintenance('@maintenance off\n')).toBeUndefined();
  });
});

describe('the compose file backup-db uses when none is given', () => {
  it('is the one Compose picks (compose.yaml first); none at all fails naming compose-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-find-compose-'));
    const runner = new RunnerTarget();
    try {
      writeFileSync(join(dir, 'docker-compose.yml'), '');
      writeFileSync(join(dir, 'compose.yaml'), '');
      const r = await runChecked(runner, findComposeFileCommand(dir), { timeoutMs: 10_000 });
      expect(r.stdout.trim()).toBe(join(dir, 'compose.yaml'));
      rmSync(join(dir, 'compose.yaml'));
      expect((await runChecked(runner, findComposeFileCommand(dir), { timeoutMs: 10_000 })).stdout.trim()).toBe(
        join(dir, 'docker-compose.yml'),
      );
      rmSync(join(dir, 'docker-compose.yml'));
      await expect(runChecked(runner, findComposeFileCommand(dir), { timeoutMs: 10_000 })).rejects.toThrow(
        /no compose file in .*: set compose-file/,
      );
    } finally {
      await runner.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('menu inputs', () => {
  const read = (v: Record<string, string>) =>
    readMaintenanceConfig(mapInputs({ 'run-on': 'local', path: '/srv/app', ...v }));
  it('maintenance-on: a window of at most 7 days, never in the past', () => {
    expect(Date.parse(read({ command: 'maintenance-on' }).menu!.settings.maintenance.until)).toBeGreaterThan(
      Date.now(),
    );
    expect(() => read({ command: 'maintenance-on', 'maintenance-duration': '200h' })).toThrow(
      /`maintenance-duration`: at most 7 days/,
    );
    expect(() => read({ command: 'maintenance-on', 'maintenance-until': '2020-01-01T00:00:00Z' })).toThrow(
      /in the past/,
    );
  });
  it('exec refuses at input time what exec-allow does not list; menu operations need a lock base', () => {
    expect(() => read({ command: 'exec', 'exec-command': 'sh -c id' })).toThrow(/`exec-allow`: is empty/);
    expect(() => read({ command: 'exec', 'exec-allow': 'echo hi', 'exec-command': 'echo ho' })).toThrow(
      /`exec-command`: "echo ho" is not in exec-allow/,
    );
    expect(() => readMaintenanceConfig(mapInputs({ command: 'rollback', 'run-on': 'local' }))).toThrow(
      /`path`: is required for rollback/,
    );
    expect(() => read({ command: 'rollback', 'rollback-to': '../x' })).toThrow(/`rollback-to`/);
  });
  it("backup-db reads backup-db's own config: inside db-service, compose file made absolute, password masked", () => {
    const secrets: string[] = [];
    const cfg = readMaintenanceConfig(
      mapInputs(
        {
          command: 'backup-db',
          'run-on': 'local',
          path: '/srv/app',
          'project-name': 'shop',
          'db-service': 'postgres',
          'database-url': 'postgres://app:pw-Secret9@db:5432/shop',
          'output-dir': '/tmp/b',
          env: 'DOCKER_HOST=unix:///run/docker.sock',
        },
        secrets,
      ),
    );
    expect(cfg.menu!.settings.backup).toMatchObject({
      mode: 'backup',
      composeService: 'postgres',
      composeFiles: ['/srv/app/docker-compose.yml'],
      composeProject: 'shop',
      dockerHost: 'unix:///run/docker.sock',
    });
    // No compose-file given: the file Compose would pick is looked up on the host first.
    expect(cfg.menu!.settings.backupComposeDir).toBe('/srv/app');
    expect(cfg.menu!.secrets).toContain('pw-Secret9');
    expect(secrets).toContain('postgres://app:pw-Secret9@db:5432/shop');
  });
});
