import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { commandLabel, type Command } from '../../lib/command.js';
import { CommandError, describeFailure, runChecked, succeeded, type Executor } from '../../lib/exec/types.js';
import { mysqlDumpCommand, mysqlOptionFile, mysqlRestoreCommand, parseMysqlUrl, type MyConn } from './mysql.js';
import {
  inService,
  mktempInServiceCommand,
  mktempWithFileInServiceCommand,
  removeInServiceCommand,
  withStdinFile,
  type ComposeTarget,
} from './compose.js';
import type { DumpSource } from './pipeline.js';
import {
  createDbCommand,
  dropDbCommand,
  parsePgToolVersion,
  parsePostgresUrl,
  pgClientVersionProblem,
  PG_COUNTS_QUERY,
  pgDumpCommand,
  pgListCommand,
  pgpassLine,
  pgRestoreCommand,
  pgRestoreReplaceCommand,
  psqlCommand,
  type PgConn,
} from './postgres.js';
import {
  isMongoArchive,
  mongoConfigFile,
  mongoDumpCommand,
  mongoRestoreCommand,
  mongoToolVersionCommand,
  parseMongoRestoreCounts,
  parseMongoToolVersion,
  parseMongoUrl,
} from './mongodb.js';
import { sqliteBackupCommand, sqliteIntegrityCommand } from './sqlite.js';

/** Table → row count. */
export type Counts = Map<string, number>;

/** What the backup flow needs from one engine; `tmp` is a private 0700 temp dir removed afterwards. */
export interface Engine {
  readonly name: string;
  /** Extension of the uncompressed dump. */
  readonly ext: string;
  /** The database name (for file names and `confirm`). */
  readonly database: string;
  /** Writes the credentials file; called once before anything else. */
  prepare(): Promise<void>;
  serverVersion(): Promise<string>;
  /** Throws when the dump client cannot dump this server correctly. */
  checkClient(): Promise<void>;
  source(): Promise<DumpSource>;
  /** verify: list — reads the dump's table of contents; returns a short description. `origin`: see restoreInto. */
  list(file: string, origin?: string): Promise<string>;
  counts(): Promise<Counts>;
  /** verify: restore — restores into a throwaway database, returns its counts, removes it. */
  restoreThrowaway(file: string): Promise<Counts>;
  /**
   * mode: restore — restores into the database itself; returns its counts afterwards. `origin` is the
   * backup's original file name (`file` may be a decompressed or uploaded copy).
   */
  restoreInto(file: string, origin?: string): Promise<Counts>;
  /** Removes what prepare() left outside the site's temp dir (compose-service: the container's temp dir). */
  cleanup?(): Promise<void>;
}

export interface EngineOptions {
  /** Where the database tools run (the runner, or the server over SSH). */
  exec: Executor;
  /** The runner itself (reads the finished backup file). */
  local: Executor;
  /** Private 0700 temp dir on the `exec` side. */
  tmp: string;
  /** Writes a 0600 file on the `exec` side (secrets: PGPASSFILE, option files). */
  writeSecret: (path: string, content: string) => Promise<void>;
  /** Makes a runner file available on the `exec` side (upload over SSH); returns its path there. */
  place?: (localFile: string) => Promise<string>;
  /** compose-service: the tools run inside this Compose service (`exec -T`) where `exec` runs. */
  compose?: ComposeTarget;
  /** A compressor that does better on the raw dump follows it (so pg_dump need not compress). */
  compressed?: boolean;
  signal?: AbortSignal;
  timeoutMs: number;
}

function parseCounts(text: string): Counts {
  const m: Counts = new Map();
  for (const line of text.split('\n')) {
    const i = line.lastIndexOf('|');
    if (i > 0) m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

/** Differences between two count maps, as readable lines (empty when equal). */
export function compareCounts(expected: Counts, actual: Counts): string[] {
  const out: string[] = [];
  for (const [t, n] of expected) {
    if (!actual.has(t)) out.push(`table ${t} missing from the restore`);
    else if (actual.get(t) !== n) out.push(`table ${t}: ${n} rows in the database, ${actual.get(t)} restored`);
  }
  for (const t of actual.keys()) if (!expected.has(t)) out.push(`table ${t} restored but not in the database`);
  return out;
}

export class PostgresEngine implements Engine {
  readonly name = 'postgres';
  readonly ext = '.dump';
  readonly conn: PgConn;
  readonly database: string;
  private pgpass: string;
  /** compose-service: the private temp dir inside the container. */
  private containerTmp = '';

  constructor(
    url: string,
    database: string,
    private readonly o: EngineOptions,
  ) {
    // compose-service without a URL: the image's superuser over the container's local socket.
    this.conn = url ? parsePostgresUrl(url) : { host: '', port: 5432, user: 'postgres', password: '', database };
    // Inside the container the tools use the server's own local socket: the URL's host and port are not used.
    if (o.compose) this.conn = { ...this.conn, host: '' };
    this.database = database || this.conn.database;
    if (!this.database) throw new Error('input `database`: no database named (in `database` or the URL path)');
    this.conn = { ...this.conn, database: this.database };
    this.pgpass = join(o.tmp, 'pgpass');
  }

  /** The command as it runs: as built, or inside the Compose service. */
  private here(cmd: Command): Command {
    return this.o.compose ? inService(this.o.compose, cmd) : cmd;
  }

  async prepare(): Promise<void> {
    const ct = this.o.compose;
    if (!ct) return this.o.writeSecret(this.pgpass, pgpassLine(this.conn));
    // One exec: private temp dir in the container + the pgpass file in it, written from stdin (umask 077).
    const cmd = this.conn.password
      ? mktempWithFileInServiceCommand(ct, 'pgpass', pgpassLine(this.conn))
      : mktempInServiceCommand(ct);
    const dir = (await this.runAsIs(cmd)).stdout.trim();
    if (!dir.startsWith('/')) throw new Error(`mktemp in service ${ct.service} printed no directory: ${dir}`);
    this.containerTmp = dir;
    this.pgpass = `${dir}/pgpass`;
  }

  async cleanup(): Promise<void> {
    if (!this.o.compose || !this.containerTmp) return;
    const r = await this.o.exec.run(removeInServiceCommand(this.o.compose, this.containerTmp), { timeoutMs: 60_000 });
    if (!succeeded(r)) {
      process.stderr.write(`could not remove ${this.containerTmp} in service ${this.o.compose.service}: ${r.stderr}\n`);
    }
  }

  private runAsIs(cmd: Command) {
    return runChecked(this.o.exec, cmd, { signal: this.o.signal, timeoutMs: this.o.timeoutMs });
  }

  private run(cmd: Command) {
    return this.runAsIs(this.here(cmd));
  }

  /** Runs `cmd` (reading the archive on stdin) with `file` — a path where `exec` runs — streamed in. */
  private runWithFile(cmd: Command, file: string) {
    return this.runAsIs(withStdinFile(this.here(cmd), file));
  }

  private async query(q: string, db = this.database): Promise<string> {
    return (await this.run(psqlCommand(this.conn, this.pgpass, db, q))).stdout.trim();
  }

  private serverNum = 0;
  private clientNum = 0;

  /**
   * One command (one `exec` with compose-service): `pg_dump --version`, then the server's version. The
   * script is constant; psql's argv follows as positional parameters.
   */
  async serverVersion(): Promise<string> {
    const psql = psqlCommand(
      this.conn,
      this.pgpass,
      this.database,
      "SELECT current_setting('server_version') || '|' || current_setting('server_version_num')",
    );
    const cmd: Command = {
      ...psql,
      argv: ['sh', '-c', 'pg_dump --version && exec "$@"', 'sh', ...psql.argv],
      label: 'pg_dump --version; psql',
    };
    const lines = (await this.run(cmd)).stdout.trim().split('\n');
    this.clientNum = parsePgToolVersion(lines[0] ?? '');
    const [v, num] = (lines[lines.length - 1] ?? '').split('|');
    this.serverNum = Number(num);
    return v ?? '';
  }

  async checkClient(): Promise<void> {
    if (!this.clientNum || !this.serverNum) await this.serverVersion();
    const problem = pgClientVersionProblem(this.clientNum, this.serverNum);
    if (problem) throw new Error(problem);
  }

  async source(): Promise<DumpSource> {
    return {
      kind: 'command',
      exec: this.o.exec,
      cmd: this.here(pgDumpCommand(this.conn, this.pgpass, 'pg_dump', this.o.compressed)),
    };
  }

  async list(file: string): Promise<string> {
    let r;
    if (this.o.compose) {
      // The runner may have no pg_restore: read the table of contents with the container's own.
      const there = this.o.place ? await this.o.place(file) : file;
      r = await this.runWithFile(pgListCommand(''), there);
    } else {
      r = await runChecked(this.o.local, pgListCommand(file), { signal: this.o.signal, timeoutMs: this.o.timeoutMs });
    }
    const entries = r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';'));
    const tables = entries.filter((l) => / TABLE DATA /.test(l)).length;
    return `archive lists ${entries.length} entries, ${tables} with table data`;
  }

  async counts(db = this.database): Promise<Counts> {
    return parseCounts(await this.query(PG_COUNTS_QUERY, db));
  }

  private restore(cmd: (file: string) => Command, file: string) {
    // compose-service: the archive is streamed into the container on stdin (pg_restore reads stdin).
    return this.o.compose ? this.runWithFile(cmd(''), file) : this.run(cmd(file));
  }

  async restoreThrowaway(file: string): Promise<Counts> {
    const name = `${this.database.slice(0, 40)}_dkverify_${randomBytes(4).toString('hex')}`;
    await this.run(createDbCommand(this.conn, this.pgpass, name));
    try {
      await this.restore((f) => pgRestoreCommand(this.conn, this.pgpass, f, name), file);
      return await this.counts(name);
    } finally {
      const r = await this.o.exec.run(this.here(dropDbCommand(this.conn, this.pgpass, name)), { timeoutMs: 120_000 });
      if (!succeeded(r)) {
        // Not fatal for the backup, but say so: a leftover database costs disk.
        process.stderr.write(`could not drop the throwaway database ${name}: ${r.stderr}\n`);
      }
    }
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.restore((f) => pgRestoreReplaceCommand(this.conn, this.pgpass, f, this.database), file);
    return this.counts();
  }
}

const sqlIdent = (n: string): string => `"${n.replace(/"/g, '""')}"`;
const sqlString = (n: string): string => `'${n.replace(/'/g, "''")}'`;

export class SqliteEngine implements Engine {
  readonly name = 'sqlite';
  readonly ext = '.sqlite';
  readonly database: string;

  constructor(
    private readonly path: string,
    private readonly o: EngineOptions,
  ) {
    if (!path) throw new Error('input `database`: the path of the SQLite file is required for engine sqlite');
    this.database = path;
  }

  private run(cmd: Command) {
    return runChecked(this.o.exec, cmd, { signal: this.o.signal, timeoutMs: this.o.timeoutMs });
  }

  async serverVersion(): Promise<string> {
    const r = await this.run({ argv: ['sqlite3', '--version'], label: 'sqlite3 --version' });
    return r.stdout.trim().split(/\s+/)[0] ?? '';
  }

  async prepare(): Promise<void> {}

  async checkClient(): Promise<void> {
    const r = await this.run(sqliteIntegrityCommand(this.path));
    if (r.stdout.trim() !== 'ok') throw new Error(`${this.path} fails PRAGMA integrity_check: ${r.stdout.trim()}`);
  }

  async source(): Promise<DumpSource> {
    const out = join(this.o.tmp, `backup-${randomBytes(4).toString('hex')}.sqlite`);
    await this.run(sqliteBackupCommand(this.path, out));
    if (this.o.exec.target === 'local') return { kind: 'file', path: out };
    // Over SSH: stream the consistent copy back (it sits in the private temp dir, removed afterwards).
    return { kind: 'command', exec: this.o.exec, cmd: { argv: ['cat', '--', out], label: 'cat (sqlite backup)' } };
  }

  private async integrity(exec: Executor, file: string): Promise<string> {
    const r = await runChecked(exec, sqliteIntegrityCommand(file), {
      signal: this.o.signal,
      timeoutMs: this.o.timeoutMs,
    });
    if (r.stdout.trim() !== 'ok') throw new Error(`the backup fails PRAGMA integrity_check: ${r.stdout.trim()}`);
    return 'PRAGMA integrity_check: ok';
  }

  list(file: string): Promise<string> {
    return this.integrity(this.o.local, file);
  }

  async countsOf(file: string): Promise<Counts> {
    const q = (sql: string) => this.run({ argv: ['sqlite3', '-bail', '-readonly', file, sql], label: 'sqlite3' });
    const tables = (
      await q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")
    ).stdout
      .split('\n')
      .filter(Boolean);
    if (!tables.length) return new Map();
    const sql = tables.map((t) => `SELECT ${sqlString(t)} || '|' || count(*) FROM ${sqlIdent(t)}`).join(' UNION ALL ');
    return parseCounts((await q(sql)).stdout);
  }

  counts(): Promise<Counts> {
    return this.countsOf(this.path);
  }

  async restoreThrowaway(file: string): Promise<Counts> {
    await this.integrity(this.o.exec, file);
    return this.countsOf(file);
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.integrity(this.o.exec, file);
    // `.restore` uses the backup API: the live file is replaced page by page under SQLite's locks.
    const cmd: Command = {
      argv: ['sqlite3', '-bail', this.path, `.restore main '${file.replace(/'/g, '')}'`],
      label: 'sqlite3 .restore',
    };
    if (file.includes("'")) throw new Error('restore-from: the path must not contain a quote');
    const r = await this.o.exec.run(cmd, { signal: this.o.signal, timeoutMs: this.o.timeoutMs });
    if (!succeeded(r) || r.stderr.trim()) {
      throw new CommandError(describeFailure(commandLabel(cmd), this.o.exec.target, { ...r, code: r.code || 1 }), r);
    }
    return this.counts();
  }
}

/** First bytes of a file (archive magic numbers). */
function headOf(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Last bytes of a file (the mysqldump completion marker). */
function tailOf(path: string, n: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(n, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const myIdent = (n: string): string => `\`${n.replace(/`/g, '``')}\``;

export class MysqlEngine implements Engine {
  readonly ext = '.sql';
  readonly conn: MyConn;
  readonly database: string;
  private readonly optFile: string;
  private readonly client: string;
  private readonly dumper: string;

  constructor(
    readonly name: 'mysql' | 'mariadb',
    url: string,
    database: string,
    private readonly o: EngineOptions,
  ) {
    this.conn = parseMysqlUrl(url);
    this.database = database || this.conn.database;
    if (!this.database) throw new Error('input `database`: no database named (in `database` or the URL path)');
    this.conn = { ...this.conn, database: this.database };
    this.optFile = join(o.tmp, 'my.cnf');
    this.client = name === 'mariadb' ? 'mariadb' : 'mysql';
    this.dumper = name === 'mariadb' ? 'mariadb-dump' : 'mysqldump';
  }

  prepare(): Promise<void> {
    // Local or on the SSH host: the option file sits in the site's private 0700 temp dir, removed afterwards.
    return this.o.writeSecret(this.optFile, mysqlOptionFile(this.conn));
  }

  /** The client reading `file` (a path where `exec` runs) on stdin, streamed, into `db`. */
  private restoreFile(file: string, db: string) {
    return runChecked(this.o.exec, withStdinFile(mysqlRestoreCommand(this.optFile, db, this.client), file), {
      signal: this.o.signal,
      timeoutMs: this.o.timeoutMs,
    });
  }

  private async query(q: string, db = this.database): Promise<string> {
    const cmd: Command = {
      argv: [
        this.client,
        `--defaults-extra-file=${this.optFile}`,
        '--protocol=TCP',
        '-N',
        '-B',
        `--database=${db}`,
        '-e',
        q,
      ],
      label: this.client,
    };
    return (await runChecked(this.o.exec, cmd, { signal: this.o.signal, timeoutMs: this.o.timeoutMs })).stdout.trim();
  }

  serverVersion(): Promise<string> {
    return this.query('SELECT VERSION()');
  }

  async checkClient(): Promise<void> {
    // mysqldump/mariadb-dump talk to older and newer servers; the round trip in verify: restore is the check.
  }

  async source(): Promise<DumpSource> {
    return { kind: 'command', exec: this.o.exec, cmd: mysqlDumpCommand(this.conn, this.optFile, this.dumper) };
  }

  async list(file: string): Promise<string> {
    // mysqldump writes this marker last: a dump cut short has no marker.
    if (!/-- Dump completed/.test(tailOf(file, 512))) {
      throw new Error('the dump does not end with "-- Dump completed": it was cut short');
    }
    return 'dump is complete ("-- Dump completed" marker)';
  }

  async counts(db = this.database): Promise<Counts> {
    const tables = (
      await this.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
        db,
      )
    )
      .split('\n')
      .filter(Boolean);
    if (!tables.length) return new Map();
    const sql = tables
      .map((t) => `SELECT CONCAT(${sqlString(t.replace(/\\/g, '\\\\'))}, '|', count(*)) FROM ${myIdent(t)}`)
      .join(' UNION ALL ');
    return parseCounts(await this.query(sql, db));
  }

  async restoreThrowaway(file: string): Promise<Counts> {
    const name = `${this.database.slice(0, 40)}_dkverify_${randomBytes(4).toString('hex')}`;
    await this.query(`CREATE DATABASE ${myIdent(name)}`);
    try {
      await this.restoreFile(file, name);
      return await this.counts(name);
    } finally {
      await this.query(`DROP DATABASE IF EXISTS ${myIdent(name)}`).catch((e: Error) =>
        process.stderr.write(`could not drop the throwaway database ${name}: ${e.message}\n`),
      );
    }
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.restoreFile(file, this.database);
    return this.counts();
  }
}

/**
 * MongoDB: mongodump --archive streams to stdout (compressed by the pipeline's own process, never --gzip);
 * the URI with its password sits in a 0600 YAML `--config` file. verify: list checks the archive's magic
 * number and has `mongorestore --dryRun` read all of it; mode restore runs `mongorestore --archive --drop`
 * and reports the documents per collection from its log. verify: restore is refused (config): counting
 * documents and dropping the throwaway database would need mongosh with the URI on its command line.
 */
export class MongoEngine implements Engine {
  readonly name = 'mongodb';
  readonly ext = '.archive';
  readonly database: string;
  private readonly uri: string;
  private readonly config: string;

  constructor(
    url: string,
    database: string,
    private readonly o: EngineOptions,
  ) {
    const p = parseMongoUrl(url);
    this.uri = p.uri;
    this.database = database || p.database;
    if (!this.database) throw new Error('input `database`: no database named (in `database` or the URL path)');
    this.config = join(o.tmp, 'mongo.yaml');
  }

  private run(cmd: Command) {
    return runChecked(this.o.exec, cmd, { signal: this.o.signal, timeoutMs: this.o.timeoutMs });
  }

  prepare(): Promise<void> {
    return this.o.writeSecret(this.config, mongoConfigFile(this.uri));
  }

  async serverVersion(): Promise<string> {
    const r = await this.o.exec.run(mongoToolVersionCommand(), { signal: this.o.signal, timeoutMs: 60_000 });
    if (!succeeded(r)) {
      throw new Error(
        `mongodump does not run on ${this.o.exec.target}: install mongodb-database-tools (${r.stderr.trim().slice(-300)})`,
      );
    }
    // mongodump does not report the server's version; say which tools made the archive instead.
    return `unknown (mongodump ${parseMongoToolVersion(r.stdout)})`;
  }

  async checkClient(): Promise<void> {
    // mongodump 100.x dumps every supported server version; the dry run in verify: list reads it back.
  }

  async source(): Promise<DumpSource> {
    return { kind: 'command', exec: this.o.exec, cmd: mongoDumpCommand(this.config, this.database) };
  }

  /** The database the archive was dumped from: this one for a fresh backup, else from the backup's name. */
  private sourceDb(origin?: string): string {
    if (!origin) return this.database;
    const db = mongoSourceDb(origin);
    if (!db) {
      throw new Error(
        `input \`restore-from\`: cannot tell which database ${origin} was dumped from; name it <database>-<YYYYMMDDTHHMMSSZ>.archive[.gz|.zst] as backup-db does`,
      );
    }
    return db;
  }

  async list(file: string, origin?: string): Promise<string> {
    if (!isMongoArchive(headOf(file, 4))) throw new Error('the dump is not a mongodump archive (wrong magic number)');
    const there = this.o.place ? await this.o.place(file) : file;
    const absent = `${this.database.slice(0, 40)}_dkverify_${randomBytes(4).toString('hex')}`;
    await this.run(mongoRestoreCommand(this.config, there, this.sourceDb(origin), absent, { dryRun: true }));
    return 'mongodump archive; mongorestore --dryRun read all of it';
  }

  async counts(): Promise<Counts> {
    throw new Error('engine mongodb: counting documents needs mongosh (not used: it takes the URI in argv)');
  }

  async restoreThrowaway(): Promise<Counts> {
    throw new Error('input `verify`: restore is not available for engine mongodb; use list');
  }

  async restoreInto(file: string, origin?: string): Promise<Counts> {
    // Namespaces are mapped <source>.* → <database>.*: never restored over the database it came from by accident.
    const from = this.sourceDb(origin);
    const r = await this.run(mongoRestoreCommand(this.config, file, from, this.database));
    return parseMongoRestoreCounts(r.stderr + r.stdout, this.database);
  }
}

/** The database a backup came from, from its name `<db>-<timestamp>.archive[.gz|.zst]`. */
export function mongoSourceDb(file: string): string | undefined {
  const m = /([^/]+)-\d{8}T\d{6}Z\.archive(?:\.gz|\.zst)?$/.exec(file);
  return m?.[1];
}
