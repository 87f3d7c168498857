import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parsePgToolVersion,
  parsePostgresUrl,
  pgClientVersionProblem,
  pgDumpCommand,
  pgpassLine,
  pgRestoreCommand,
} from '../../src/core/backup-db/postgres.js';
import { LocalExecutor } from '../../src/lib/exec/local.js';
import { PG_BIN, startPostgres, type PgServer } from '../fixtures/postgres.js';

// Builders only (the backup-db action itself is not built yet): real pg_dump/pg_restore against a real server.
describe('postgres dump/restore builders against real PostgreSQL 15', () => {
  let pg: PgServer;
  let dir: string;
  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'dk-backup-pg-'));
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the real client and server versions match (no version problem)', () => {
    const v = spawnSync(`${PG_BIN}/pg_dump`, ['--version'], { encoding: 'utf8' });
    const client = parsePgToolVersion(v.stdout);
    expect(pgClientVersionProblem(client, pg.serverVersionNum())).toBeUndefined();
  });

  it('dumps by URL with PGPASSFILE (streamed to a file) and restores into a fresh database', async () => {
    pg.createDatabase('shop');
    pg.sql(
      'CREATE TABLE a (id int primary key, v text); INSERT INTO a SELECT g, md5(g::text) FROM generate_series(1,500) g;' +
        'CREATE TABLE b (id int); INSERT INTO b SELECT generate_series(1,7);',
      'shop',
    );
    const conn = parsePostgresUrl(pg.url('shop'));
    const pass = join(dir, 'pgpass');
    writeFileSync(pass, pgpassLine(conn), { mode: 0o600 });
    const exec = new LocalExecutor({ ...process.env, PATH: `${PG_BIN}:${process.env.PATH}` });
    const file = join(dir, 'shop.dump');
    const sink = createWriteStream(file);
    const r = await exec.run(pgDumpCommand(conn, pass), { stdoutSink: sink, timeoutMs: 60_000 });
    sink.end();
    await finished(sink);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(1000);
    pg.createDatabase('shop_restored');
    const rr = await exec.run(pgRestoreCommand(conn, pass, file, 'shop_restored'), { timeoutMs: 60_000 });
    expect(rr.stderr).toBe('');
    expect(rr.code).toBe(0);
    const counts = (db: string) => pg.sql("SELECT (SELECT count(*) FROM a) || '/' || (SELECT count(*) FROM b)", db);
    expect(counts('shop_restored')).toBe(counts('shop'));
    expect(counts('shop_restored')).toBe('500/7');
  }, 60_000);
});
