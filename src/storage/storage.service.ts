import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Pool } from 'pg';
import { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

/** DATA_DIR value for a store that lives in memory only (command-line tools, some tests). */
export const IN_MEMORY = ':memory:';

/**
 * Creates the data folder readable by this user only (0700). Transcripts of people in crisis live
 * there: no other account on the machine may read them.
 */
export function privateDataDir(dataDir: string): string {
  const dir = resolveFromRoot(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Creates a file (if missing) readable and writable by this user only (0600). */
export function privateFile(file: string): string {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  return file;
}

/** Which database the store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The store: SQLite (better-sqlite3) in DATA_DIR by default, or PostgreSQL when DATABASE_URL is set
 * (several instances share it), through the Kysely query builder with the same migrations and queries.
 * Migrations run at start-up (on PostgreSQL under Kysely's migration lock, so instances starting together
 * apply each once); a failed migration stops start-up.
 */
@Injectable()
export class StorageService implements OnApplicationShutdown {
  private readonly logger = new Logger(StorageService.name);
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  private ready: Promise<void> | null = null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const url = config.get('DATABASE_URL');
    if (url) {
      this.dialect = 'postgres';
      this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: () => this.pool(url) }) });
      return;
    }
    this.dialect = 'sqlite';
    const dataDir = config.get('DATA_DIR');
    let sqlite: Sqlite.Database;
    if (dataDir === IN_MEMORY) {
      sqlite = new Sqlite(':memory:');
    } else {
      // SQLite gives its -wal and -shm files the database file's permissions, so 0600 covers them too.
      sqlite = new Sqlite(privateFile(path.join(privateDataDir(dataDir), 'kap.sqlite')));
      // WAL: readers never block the writer; a committed write survives a crash of the process.
      sqlite.pragma('journal_mode = WAL');
    }
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }

  /** The PostgreSQL pool, loaded only when DATABASE_URL asks for it. */
  private async pool(url: string): Promise<Pool> {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection that breaks (a database restart) must not end the process: the pool replaces it.
    pool.on('error', (err) => this.logger.error(`PostgreSQL connection error: ${err.message}`));
    // Nor one that breaks while checked out between two queries (a transaction): the pool listens only
    // to idle ones, and an unheard 'error' event would end the process. The query that uses it fails.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return pool;
  }

  /** Runs pending migrations once; everything that uses the database awaits this first. */
  migrate(): Promise<void> {
    this.ready ??= (async () => {
      const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
      for (const r of results ?? []) if (r.status === 'Success') this.logger.log(`Migration ${r.migrationName} applied`);
      if (error) throw new Error(`Database migration failed: ${(error as Error).message ?? error}`, { cause: error });
    })();
    return this.ready;
  }

  /** Closed last, after every module has stopped using it. */
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
