/**
 * MongoDB inside a real Docker Compose service: backup-db's core with compose-service (mongodump --archive through
 * `compose exec -T`, the config file written into the container through stdin, verify list with mongorestore --dryRun
 * there) and a restore into another database.
 *
 * THIS TEST DOES NOT RUN ON THIS PROJECT'S MACHINES: the MongoDB server and database tools are not installable here.
 * It runs only where `mongod`, `mongodump`, `mongorestore` and `mongoimport` are on the host's PATH (they are
 * bind-mounted into an image built FROM scratch, as test/fixtures/compose-postgres.ts does with PostgreSQL, since no
 * image can be pulled) and dockerd + docker-compose exist; everywhere else vitest reports it as skipped. There is no
 * fake server. The argv is unit-tested in test/unit/backup-mongodb-compose.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBackup, runRestore } from '../../src/core/backup-db/run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';

const has = (bin: string, arg = '--version'): boolean =>
  spawnSync(bin, [arg], { stdio: 'ignore', timeout: 20_000 }).status === 0;
const hasMongo = ['mongod', 'mongodump', 'mongorestore', 'mongoimport'].every((b) => has(b));
const ready = hasMongo && has('dockerd') && has('docker-compose');

let dockerd: Dockerd | undefined;
let dir = '';
afterAll(async () => {
  await dockerd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`mongodb in a compose service (${ready ? 'mongod, the database tools and docker found' : 'skipped: mongod/mongodump are not installed on this machine'})`, () => {
  it.runIf(ready)(
    'mongodump --archive via compose exec -T, verified with --dryRun in the service, restored into another database',
    async () => {
      dockerd = await startDockerd();
      dir = mkdtempSync('/tmp/dk-cmongo-');
      const env = { ...process.env, DOCKER_HOST: dockerd.host, DOCKER_BUILDKIT: '0' };
      const ctx = join(dir, 'image');
      mkdirSync(ctx);
      writeFileSync(join(ctx, '.keep'), '');
      writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY .keep /.keep\n');
      dockerd.docker('build', '-q', '-t', 'dk-scratch-mongo', ctx);
      const mounts = ['/usr', '/etc'].map((p) => `      - ${p}:${p}:ro`);
      for (const p of ['/bin', '/sbin', '/lib', '/lib64']) mounts.push(`      - ${realpathSync(p)}:${p}:ro`);
      const projectDir = join(dir, 'arryn');
      mkdirSync(projectDir);
      const file = join(projectDir, 'docker-compose.yml');
      writeFileSync(
        file,
        [
          'version: "3.7"',
          'services:',
          '  mongo:',
          '    image: dk-scratch-mongo',
          '    network_mode: none',
          '    environment:',
          '      PATH: /usr/local/bin:/usr/bin:/bin',
          '    volumes:',
          ...mounts,
          '    tmpfs:',
          '      - /data:mode=1777',
          '      - /tmp:mode=1777',
          '    command: ["mongod", "--dbpath", "/data", "--bind_ip", "127.0.0.1", "--port", "27017"]',
          '',
        ].join('\n'),
      );
      const compose = (...args: string[]) =>
        execFileSync('docker-compose', ['-f', file, ...args], { env, encoding: 'utf8', timeout: 120_000 });
      compose('up', '-d');
      const container = compose('ps', '-q', 'mongo').trim();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const r = spawnSync('docker', ['exec', container, 'mongodump', '--quiet', '--archive=/dev/null'], {
          env,
          timeout: 10_000,
        });
        if (r.status === 0) break;
        if (Date.now() > deadline) throw new Error('mongod in the container did not start');
        await new Promise((res) => setTimeout(res, 300));
      }
      const docs = Array.from({ length: 500 }, (_, i) => JSON.stringify({ _id: i, v: `row ${i}` })).join('\n');
      const load = spawnSync(
        'docker',
        [
          'exec',
          '-i',
          container,
          'mongoimport',
          '--uri=mongodb://127.0.0.1:27017/shop',
          '--collection=orders',
          '--quiet',
        ],
        { env, input: docs, timeout: 60_000 },
      );
      expect(load.status).toBe(0);
      const runner = new RunnerTarget();
      const where = { host: runner, runner };
      const common = {
        engine: 'mongodb' as const,
        composeService: 'mongo',
        composeFiles: [file],
        dockerHost: dockerd.host,
        outputDir: join(dir, 'out'),
      };
      const b = await runBackup(backupConfig({ ...common, database: 'shop', verify: 'list' }), where, quietContext());
      expect(b.ranIn).toMatch(/mongo/);
      expect(b.verification).toMatch(/mongorestore --dryRun/);
      expect(readdirSync(join(dir, 'out'))).toEqual([b.path.split('/').pop()]);
      const r = await runRestore(
        backupConfig({
          ...common,
          database: 'shop_restored',
          mode: 'restore',
          restoreFrom: b.path,
          confirm: 'shop_restored',
        }),
        where,
        quietContext(),
      );
      expect(r.counts).toEqual({ orders: 500 });
      await runner.dispose();
    },
    300_000,
  );
});
