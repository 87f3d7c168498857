import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteBackupCommand, sqliteIntegrityCommand } from '../../src/core/backup-db/sqlite.js';
import { LocalExecutor } from '../../src/lib/exec/local.js';

// Builders only (the backup-db action itself is not built yet): real sqlite3.
const dir = mkdtempSync(join(tmpdir(), 'dk-backup-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sql = (db: string, q: string): string => {
  const r = spawnSync('sqlite3', ['-bail', db], { input: q, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

describe('sqlite .backup builder against real sqlite3', () => {
  it('refuses paths the dot-command cannot carry', () => {
    expect(() => sqliteBackupCommand('/a.db', "/x'y.db")).toThrow(/quotes/);
    expect(sqliteBackupCommand('-odd.db', '/o.db').argv).toEqual([
      'sqlite3',
      '-bail',
      '-readonly',
      './-odd.db',
      ".backup main '/o.db'",
    ]);
  });

  it('backs up a WAL database and the copy has the same tables and rows', async () => {
    const src = join(dir, 'app.db');
    sql(
      src,
      'PRAGMA journal_mode=WAL; CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE b(x);' +
        'WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s WHERE n<400) INSERT INTO a SELECT n, hex(randomblob(8)) FROM s; INSERT INTO b VALUES (1),(2),(3);',
    );
    const out = join(dir, 'copy with space.db');
    const exec = new LocalExecutor();
    const r = await exec.run(sqliteBackupCommand(src, out), { timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ic = await exec.run(sqliteIntegrityCommand(out), { timeoutMs: 30_000 });
    expect(ic.stdout.trim()).toBe('ok');
    const q =
      "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type='table' ORDER BY name); SELECT count(*) FROM a; SELECT count(*) FROM b;";
    expect(sql(out, q)).toBe(sql(src, q));
    expect(sql(out, q)).toBe('a,b\n400\n3');
  });
});
