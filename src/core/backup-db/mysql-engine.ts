import { randomBytes } from 'node:crypto';
import { withStdinFile } from '../../lib/target/commands.js';
import {
  parseCounts,
  runTool,
  sqlString,
  tailOf,
  throwawayName,
  type Counts,
  type Engine,
  type EngineOptions,
} from './engines.js';
import {
  mysqlDumpCommand,
  mysqlOptionFile,
  mysqlQueryCommand,
  mysqlRestoreCommand,
  parseMysqlUrl,
  type MyAuth,
  type MyConn,
} from './mysql.js';
import type { DumpSource } from './pipeline.js';
import { InputError } from '../../lib/errors.js';

const myIdent = (n: string): string => `\`${n.replace(/`/g, '``')}\``;

export class MysqlEngine implements Engine {
  readonly ext = '.sql';
  readonly conn: MyConn;
  readonly database: string;
  private auth: MyAuth | undefined;
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
    if (!this.database) throw new InputError('database', 'no database named (in `database` or the URL path)');
    this.conn = { ...this.conn, database: this.database };
    this.client = name === 'mariadb' ? 'mariadb' : 'mysql';
    this.dumper = name === 'mariadb' ? 'mariadb-dump' : 'mysqldump';
  }

  async prepare(): Promise<void> {
    // Inside a container nothing rests on its disk: a killed run's post step cannot reach it there (the option
    // file goes on stdin, or the password as MYSQL_PWD by name). On the runner / an SSH host: a 0600 option
    // file in the tools' private temp dir, removed afterwards (and by the post step after a kill).
    this.auth =
      this.o.tools.kind === 'container'
        ? { kind: 'pipe', conn: this.conn }
        : { kind: 'file', path: await this.o.tools.writeSecretFile(mysqlOptionFile(this.conn), 'my.cnf') };
  }

  private get credentials(): MyAuth {
    if (!this.auth) throw new Error('mysql engine used before prepare()');
    return this.auth;
  }

  /** The client reading `file` (a path where the tools run) on stdin, streamed, into `db`. */
  private restoreFile(file: string, db: string) {
    return runTool(this.o, withStdinFile(mysqlRestoreCommand(this.credentials, db, this.client), file));
  }

  private async query(q: string, db = this.database): Promise<string> {
    return (await runTool(this.o, mysqlQueryCommand(this.credentials, db, q, this.client))).stdout.trim();
  }

  serverVersion(): Promise<string> {
    return this.query('SELECT VERSION()');
  }

  async checkClient(): Promise<void> {
    // mysqldump/mariadb-dump talk to older and newer servers; the round trip in verify: restore is the check.
  }

  async source(): Promise<DumpSource> {
    return { kind: 'command', exec: this.o.tools, cmd: mysqlDumpCommand(this.conn, this.credentials, this.dumper) };
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
    const name = throwawayName(this.database, randomBytes(4).toString('hex'));
    await this.query(`CREATE DATABASE ${myIdent(name)}`);
    try {
      await this.restoreFile(file, name);
      return await this.counts(name);
    } finally {
      await this.query(`DROP DATABASE IF EXISTS ${myIdent(name)}`).catch((e: Error) =>
        this.o.ctx.warn(`could not drop the throwaway database ${name}: ${e.message}`, 'backup'),
      );
    }
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.restoreFile(file, this.database);
    return this.counts();
  }
}
