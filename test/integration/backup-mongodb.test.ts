/**
 * MongoDB end to end: mongod + mongodump/mongorestore/mongoimport for real.
 *
 * THIS TEST DOES NOT RUN ON THIS PROJECT'S MACHINES: the MongoDB server and database tools are not
 * installable here (not in Debian, no other registry reachable). It runs only where `mongod`, `mongodump`,
 * `mongorestore` and `mongoimport` are on PATH; everywhere else vitest reports it as skipped. There is no
 * fake server: the argv/config builders and the log/archive parsers are unit-tested in
 * test/unit/backup-db.test.ts, and this is the real round trip for machines that have MongoDB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupConfig } from '../../src/core/backup-db/config.js';
import { MongoEngine } from '../../src/core/backup-db/mongodb-engine.js';
import { runBackup, runRestore } from '../../src/core/backup-db/run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { freePort, waitForPort } from '../fixtures/ports.js';

const has = (bin: string): boolean => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
export const hasMongodump = ['mongod', 'mongodump', 'mongorestore', 'mongoimport'].every(has);

const work = mkdtempSync(join(tmpdir(), 'dk-backup-mongo-'));
let mongod: ChildProcess | undefined;
afterAll(() => {
  mongod?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function cfg(over: Partial<BackupConfig>): BackupConfig {
  return backupConfig({ engine: 'mongodb', outputDir: join(work, 'out'), ...over });
}

describe(`mongodb round trip (${hasMongodump ? 'mongod and the database tools found' : 'skipped: mongod/mongodump are not installed on this machine'})`, () => {
  it.runIf(hasMongodump)(
    'mongodump --archive streams through the pipeline, --dryRun verifies it, mongorestore restores into a fresh database',
    async () => {
      const port = await freePort();
      mongod = spawn(
        'mongod',
        ['--dbpath', mkdtempSync(join(work, 'db-')), '--port', String(port), '--bind_ip', '127.0.0.1'],
        {
          stdio: 'ignore',
        },
      );
      await waitForPort(port, 60_000);
      const url = (db: string) => `mongodb://127.0.0.1:${port}/${db}`;
      const load = (coll: string, n: number) => {
        const docs = Array.from({ length: n }, (_, i) => JSON.stringify({ _id: i, v: `row ${i}` })).join('\n');
        const r = spawnSync('mongoimport', [`--uri=${url('shop')}`, `--collection=${coll}`, '--quiet'], {
          input: docs,
        });
        expect(r.status).toBe(0);
      };
      load('orders', 1200);
      load('users', 9);
      const exec = new RunnerTarget();
      const b = await runBackup(cfg({ databaseUrl: url('shop') }), { host: exec, runner: exec }, quietContext());
      expect(b.path).toMatch(/\/shop-\d{8}T\d{6}Z\.archive\.gz$/);
      expect(b.verification).toMatch(/mongorestore --dryRun/);
      expect(readdirSync(join(work, 'out'))).toHaveLength(1);
      const r = await runRestore(
        cfg({ databaseUrl: url('shop_restored'), mode: 'restore', restoreFrom: b.path, confirm: 'shop_restored' }),
        { host: exec, runner: exec },
        quietContext(),
      );
      expect(r.counts).toEqual({ orders: 1200, users: 9 });
    },
    180_000,
  );
});

describe('mongodb failure paths a user can hit without a MongoDB server', () => {
  const url = 'mongodb://app:mongo-s3cret@127.0.0.1:9/shop';
  const engine = () =>
    new MongoEngine(url, '', {
      tools: new RunnerTarget(process.env, work),
      runner: new RunnerTarget(process.env, work),
      ctx: quietContext(),
      timeoutMs: 10_000,
    });

  it('verify/restore of a file that is not a mongodump archive is refused before mongorestore runs', async () => {
    const f = join(work, 'not-an-archive');
    writeFileSync(f, 'PGDMP this is a pg_dump archive');
    await expect(engine().list(f)).rejects.toThrow(/not a mongodump archive \(wrong magic number\)/);
  });

  it('restore-from a file whose name does not tell the source database names the input and the pattern', async () => {
    const f = join(work, 'renamed.archive');
    writeFileSync(f, Buffer.from([0x6d, 0xe2, 0x99, 0x81, 0]));
    await expect(engine().restoreInto(f, 'renamed.archive')).rejects.toThrow(
      /input `restore-from`: cannot tell which database renamed\.archive was dumped from; name it <database>-<YYYYMMDDTHHMMSSZ>/,
    );
  });
});
