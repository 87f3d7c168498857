import { randomBytes } from 'node:crypto';
import { join, posix } from 'node:path';
import { commandLabel, type Command } from '../../lib/command.js';
import { CommandError, describeFailure, succeeded } from '../../lib/exec/types.js';
import type { Target } from '../../lib/target/types.js';
import { parseCounts, runTool, sqlString, type Counts, type Engine, type EngineOptions } from './engines.js';
import type { DumpSource } from './pipeline.js';
import { sqliteBackupCommand, sqliteIntegrityCommand } from './sqlite.js';
import { InputError } from '../../lib/errors.js';

const sqlIdent = (n: string): string => `"${n.replace(/"/g, '""')}"`;

export class SqliteEngine implements Engine {
  readonly name = 'sqlite';
  readonly ext = '.sqlite';
  readonly database: string;

  constructor(
    private readonly path: string,
    private readonly o: EngineOptions,
  ) {
    if (!path) throw new InputError('database', 'the path of the SQLite file is required for engine sqlite');
    this.database = path;
  }

  private run(cmd: Command) {
    return runTool(this.o, cmd);
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
    const name = `backup-${randomBytes(4).toString('hex')}.sqlite`;
    const out = posix.join(await this.o.tools.tempDir(), name);
    await this.run(sqliteBackupCommand(this.path, out));
    if (this.o.tools.kind === 'runner') return { kind: 'file', path: out };
    // Elsewhere: fetch the consistent copy (verified by sha256 on both sides) into the runner's temp dir.
    const local = join(await this.o.runner.tempDir(), name);
    await this.o.tools.download(out, local, { signal: this.o.ctx.signal, timeoutMs: this.o.timeoutMs });
    return { kind: 'file', path: local };
  }

  private async integrity(on: Target, file: string): Promise<string> {
    const r = await runTool(this.o, sqliteIntegrityCommand(file), on);
    if (r.stdout.trim() !== 'ok') throw new Error(`the backup fails PRAGMA integrity_check: ${r.stdout.trim()}`);
    return 'PRAGMA integrity_check: ok';
  }

  list(file: string): Promise<string> {
    return this.integrity(this.o.runner, file);
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
    await this.integrity(this.o.tools, file);
    return this.countsOf(file);
  }

  async restoreInto(file: string): Promise<Counts> {
    await this.integrity(this.o.tools, file);
    // `.restore` uses the backup API: the live file is replaced page by page under SQLite's locks.
    if (file.includes("'")) throw new Error('restore-from: the path must not contain a quote');
    const cmd: Command = {
      argv: ['sqlite3', '-bail', this.path, `.restore main '${file}'`],
      label: 'sqlite3 .restore',
    };
    const r = await this.o.tools.run(cmd, { signal: this.o.ctx.signal, timeoutMs: this.o.timeoutMs });
    if (!succeeded(r) || r.stderr.trim()) {
      throw new CommandError(describeFailure(commandLabel(cmd), this.o.tools.target, { ...r, code: r.code || 1 }), r);
    }
    return this.counts();
  }
}
