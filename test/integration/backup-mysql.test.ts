import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mysqlDumpCommand,
  mysqlOptionFile,
  mysqlQueryCommand,
  mysqlRestoreCommand,
  parseMysqlUrl,
} from '../../src/core/backup-db/mysql.js';
import { LocalExecutor } from '../../src/lib/exec/local.js';
import { withStdinFile } from '../../src/lib/target/commands.js';
import { startMariaDb, type MariaDbServer } from '../fixtures/mariadb.js';

describe('mysql builders (unit)', () => {
  it('keeps the password in the option file, not argv', () => {
    const c = parseMysqlUrl('mysql://app:p%22w%5C%24(x)@127.0.0.1:3307/shop');
    expect(c).toEqual({ host: '127.0.0.1', port: 3307, user: 'app', password: 'p"w\\$(x)', database: 'shop' });
    expect(mysqlOptionFile(c)).toContain('password="p\\"w\\\\$(x)"');
    const d = mysqlDumpCommand(c, '/t/my.cnf');
    expect(d.argv[1]).toBe('--defaults-extra-file=/t/my.cnf');
    expect(d.argv).toContain('--single-transaction');
    expect(d.argv.slice(-2)).toEqual(['--', 'shop']);
    expect(d.argv.join(' ')).not.toContain('p"w');
  });
});

// Builders only (the backup-db action itself is not built yet): real mariadb-dump/mariadb against real MariaDB.
describe('mysql dump/restore builders against real MariaDB', () => {
  let db: MariaDbServer;
  let dir: string;
  beforeAll(async () => {
    db = await startMariaDb();
    dir = mkdtempSync(join(tmpdir(), 'dk-backup-my-'));
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dumps by URL with --defaults-extra-file and restores into a fresh database', async () => {
    db.createDatabase('shop');
    db.sql('CREATE TABLE a (id int primary key, v text); CREATE TABLE b (id int);', 'shop');
    db.sql('INSERT INTO a SELECT seq, md5(seq) FROM seq_1_to_300; INSERT INTO b VALUES (1),(2);', 'shop');
    const c = parseMysqlUrl(db.url('shop'));
    const opt = join(dir, 'my.cnf');
    writeFileSync(opt, mysqlOptionFile(c), { mode: 0o600 });
    const exec = new LocalExecutor();
    const file = join(dir, 'shop.sql');
    const sink = createWriteStream(file);
    const r = await exec.run(mysqlDumpCommand(c, opt), { stdoutSink: sink, timeoutMs: 60_000 });
    sink.end();
    await finished(sink);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);
    db.createDatabase('shop_restored');
    const cmd = mysqlRestoreCommand(opt, 'shop_restored');
    const rr = spawnSync(cmd.argv[0]!, cmd.argv.slice(1), {
      input: readFileSync(file),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(rr.stderr).toBe('');
    expect(rr.status).toBe(0);
    const counts = (d: string) => db.sql("SELECT CONCAT((SELECT count(*) FROM a), '/', (SELECT count(*) FROM b))", d);
    expect(counts('shop_restored')).toBe(counts('shop'));
    expect(counts('shop_restored')).toBe('300/2');
  }, 60_000);

  // The container mode ('pipe'), run here with this machine's mariadb 10.11 client: nothing written anywhere.
  it('pipe: dump with the option file on stdin, restore with MYSQL_PWD, query with stdin; wrong password refused', async () => {
    db.createDatabase('pshop');
    db.sql(
      'CREATE TABLE a (id int primary key, v text); INSERT INTO a SELECT seq, md5(seq) FROM seq_1_to_500;',
      'pshop',
    );
    const c = parseMysqlUrl(db.url('pshop'));
    const auth = { kind: 'pipe' as const, conn: c };
    const exec = new LocalExecutor();
    const file = join(dir, 'pshop.sql');
    const before = readdirSync(dir);
    const sink = createWriteStream(file);
    const r = await exec.run(mysqlDumpCommand(c, auth), { stdoutSink: sink, timeoutMs: 60_000 });
    sink.end();
    await finished(sink);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/-- Dump completed/);
    db.createDatabase('pshop_restored');
    const rr = await exec.run(withStdinFile(mysqlRestoreCommand(auth, 'pshop_restored'), file), { timeoutMs: 60_000 });
    expect(rr.stderr).toBe('');
    expect(rr.code).toBe(0);
    const q = await exec.run(mysqlQueryCommand(auth, 'pshop_restored', 'SELECT count(*) FROM a'), {
      timeoutMs: 60_000,
    });
    expect(q.stderr).toBe('');
    expect(q.stdout.trim()).toBe('500');
    // No option file was written: only the dump joined the test's dir.
    expect(readdirSync(dir).sort()).toEqual([...before, 'pshop.sql'].sort());
    // The credentials really come from stdin / MYSQL_PWD: a wrong password is refused in each mode.
    const bad = { kind: 'pipe' as const, conn: { ...c, password: 'wrong' } };
    for (const cmd of [
      mysqlQueryCommand(bad, 'pshop', 'SELECT 1'),
      withStdinFile(mysqlRestoreCommand(bad, 'pshop_restored'), file),
    ]) {
      const w = await exec.run(cmd, { timeoutMs: 60_000 });
      expect(w.code).not.toBe(0);
      expect(w.stderr).toMatch(/Access denied for user/);
    }
  }, 60_000);
});
