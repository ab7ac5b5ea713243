import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { AppConfig } from '../config/app-config.js';
import { resolveFromRoot } from '../paths.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

/**
 * The embedded store: SQLite (better-sqlite3) in DATA_DIR, through the Kysely query builder so the
 * same queries can run on PostgreSQL. Migrations run at start-up; a failed migration stops start-up.
 */
@Injectable()
export class StorageService implements OnApplicationShutdown {
  private readonly logger = new Logger(StorageService.name);
  readonly db: Kysely<Database>;
  private ready: Promise<void> | null = null;

  constructor(@Inject(AppConfig) config: AppConfig) {
    const dir = resolveFromRoot(config.get('DATA_DIR'));
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'kap.sqlite');
    const sqlite = new Sqlite(file);
    // WAL: readers never block the writer; a committed write survives a crash of the process.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
