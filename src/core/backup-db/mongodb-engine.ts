import { randomBytes } from 'node:crypto';
import { succeeded } from '../../lib/exec/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import { headOf, runTool, throwawayName, type Counts, type Engine, type EngineOptions } from './engines.js';
import {
  isMongoArchive,
  mongoConfigFile,
  mongoDumpCommand,
  mongoRestoreCommand,
  mongoToolVersionCommand,
  mongoUriInContainer,
  parseMongoRestoreCounts,
  parseMongoToolVersion,
  parseMongoUrl,
} from './mongodb.js';
import type { DumpSource } from './pipeline.js';
import { InputError } from '../../lib/errors.js';

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
  private config = '';

  constructor(
    url: string,
    database: string,
    private readonly o: EngineOptions,
  ) {
    // compose-service: the tools run in the MongoDB service and connect to it there (mongoUriInContainer).
    const inContainer = o.tools.kind === 'container';
    const p = inContainer && !url ? { uri: '', database: '' } : parseMongoUrl(url);
    this.uri = inContainer ? mongoUriInContainer(url) : p.uri;
    this.database = database || p.database;
    if (!this.database) throw new InputError('database', 'no database named (in `database` or the URL path)');
  }

  async prepare(): Promise<void> {
    this.config = await this.o.tools.writeSecretFile(mongoConfigFile(this.uri), 'mongo.yaml');
  }

  async serverVersion(): Promise<string> {
    const r = await this.o.tools.run(mongoToolVersionCommand(), {
      signal: this.o.ctx.signal,
      timeoutMs: TIMEOUTS.housekeepingMs,
    });
    if (!succeeded(r)) {
      throw new Error(
        `mongodump does not run on ${this.o.tools.target}: install mongodb-database-tools (${r.stderr.trim().slice(-300)})`,
      );
    }
    // mongodump does not report the server's version; say which tools made the archive instead.
    return `unknown (mongodump ${parseMongoToolVersion(r.stdout)})`;
  }

  async checkClient(): Promise<void> {
    // mongodump 100.x dumps every supported server version; the dry run in verify: list reads it back.
  }

  async source(): Promise<DumpSource> {
    return { kind: 'command', exec: this.o.tools, cmd: mongoDumpCommand(this.config, this.database) };
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
    const there = (await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path;
    const absent = throwawayName(this.database, randomBytes(4).toString('hex'));
    await runTool(this.o, mongoRestoreCommand(this.config, there, this.sourceDb(origin), absent, { dryRun: true }));
    return 'mongodump archive; mongorestore --dryRun read all of it';
  }

  async counts(): Promise<Counts> {
    throw new Error('engine mongodb: counting documents needs mongosh (not used: it takes the URI in argv)');
  }

  async restoreThrowaway(): Promise<Counts> {
    throw new InputError('verify', 'restore is not available for engine mongodb; use list');
  }

  async restoreInto(file: string, origin?: string): Promise<Counts> {
    // Namespaces are mapped <source>.* → <database>.*: never restored over the database it came from by accident.
    const from = this.sourceDb(origin);
    const r = await runTool(this.o, mongoRestoreCommand(this.config, file, from, this.database));
    return parseMongoRestoreCounts(r.stderr + r.stdout, this.database);
  }
}

/** The database a backup came from, from its name `<db>-<timestamp>.archive[.gz|.zst]`. */
export function mongoSourceDb(file: string): string | undefined {
  const m = /([^/]+)-\d{8}T\d{6}Z\.archive(?:\.gz|\.zst)?$/.exec(file);
  return m?.[1];
}
