import { randomBytes } from 'node:crypto';
import type { Command } from '../../lib/command.js';
import { succeeded } from '../../lib/exec/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import { parseCounts, runTool, throwawayName, type Counts, type Engine, type EngineOptions } from './engines.js';
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
import { InputError } from '../../lib/errors.js';

export class PostgresEngine implements Engine {
  readonly name = 'postgres';
  readonly ext = '.dump';
  readonly conn: PgConn;
  readonly database: string;
  private pgpass = '';
  private readonly inContainer: boolean;

  constructor(
    url: string,
    database: string,
    private readonly o: EngineOptions,
  ) {
    // compose-service without a URL: the image's superuser over the container's local socket.
    this.conn = url ? parsePostgresUrl(url) : { host: '', port: 5432, user: 'postgres', password: '', database };
    // Inside the container the tools use the server's own local socket: the URL's host and port are not used.
    this.inContainer = o.tools.kind === 'container';
    if (this.inContainer) this.conn = { ...this.conn, host: '' };
    this.database = database || this.conn.database;
    if (!this.database) throw new InputError('database', 'no database named (in `database` or the URL path)');
    this.conn = { ...this.conn, database: this.database };
  }

  async prepare(): Promise<void> {
    // The pgpass file, 0600 in the tools' private temp dir (inside the container with compose-service).
    this.pgpass = await this.o.tools.writeSecretFile(pgpassLine(this.conn), 'pgpass');
  }

  private run(cmd: Command) {
    return runTool(this.o, cmd);
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
      exec: this.o.tools,
      cmd: pgDumpCommand(this.conn, this.pgpass, 'pg_dump', this.o.compressed),
    };
  }

  async list(file: string): Promise<string> {
    // In a container the runner may have no pg_restore: read the table of contents with the container's own.
    const r = this.inContainer
      ? await this.run(pgListCommand((await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path))
      : await runTool(this.o, pgListCommand(file), this.o.runner);
    const entries = r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';'));
    const tables = entries.filter((l) => / TABLE DATA /.test(l)).length;
    return `archive lists ${entries.length} entries, ${tables} with table data`;
  }

  async counts(db = this.database): Promise<Counts> {
    return parseCounts(await this.query(PG_COUNTS_QUERY, db));
  }

  async restoreThrowaway(file: string): Promise<Counts> {
    const name = throwawayName(this.database, randomBytes(4).toString('hex'));
    await this.run(createDbCommand(this.conn, this.pgpass, name));
    try {
      await this.run(pgRestoreCommand(this.conn, this.pgpass, file, name));
      return await this.counts(name);
    } finally {
      const r = await this.o.tools.run(dropDbCommand(this.conn, this.pgpass, name), {
        timeoutMs: TIMEOUTS.remoteStepMs,
      });
      // Not fatal for the backup, but say so: a leftover database costs disk.
      if (!succeeded(r)) this.o.ctx.warn(`could not drop the throwaway database ${name}: ${r.stderr.trim()}`, 'backup');
    }
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.run(pgRestoreReplaceCommand(this.conn, this.pgpass, file, this.database));
    return this.counts();
  }
}
