import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, fsyncSync, openSync, closeSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { IN_MEMORY, privateDataDir, privateFile } from './storage.service.js';

export interface JournalRecord {
  id: string;
  kind: string;
  at: string;
  payload: unknown;
}

type Handler = (payload: never) => Promise<void>;

/**
 * A small local journal for what must never be lost when the store fails: crisis flags, their
 * transcripts and pages. A record is appended (and fsync'd) to DATA_DIR/journal.jsonl when a write to the
 * store fails, and replayed into the store by its owner's handler at start-up and, while anything is
 * pending, every OUTBOX_POLL_MS until the store works again. Handlers must be idempotent: a record may be
 * replayed again after a crash between its replay and the journal's rewrite.
 */
@Injectable()
export class Journal implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Journal.name);
  private readonly handlers = new Map<string, Handler>();
  private records: JournalRecord[] = [];
  private readonly file: string | null;
  private timer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  /** The last replay failure, for /health. */
  lastError: string | null = null;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    const dataDir = config.get('DATA_DIR');
    this.file = dataDir === IN_MEMORY ? null : path.join(privateDataDir(dataDir), 'journal.jsonl');
    if (this.file && existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.records.push(JSON.parse(line) as JournalRecord);
        } catch {
          // A torn last line (a crash mid-write) holds nothing that was acknowledged.
          this.logger.error(`journal: skipped an unreadable line`);
        }
      }
    }
  }

  /** Registers the replay handler for one kind of record. */
  register<T>(kind: string, handler: (payload: T) => Promise<void>): void {
    this.handlers.set(kind, handler as Handler);
  }

  /**
   * Appends a record; returns false when even the journal cannot be written (disk full): the caller keeps
   * the record in memory and says so in the log.
   */
  append(kind: string, payload: unknown): boolean {
    const record: JournalRecord = { id: randomUUID(), kind, at: new Date().toISOString(), payload };
    this.records.push(record);
    if (!this.file) return true;
    try {
      privateFile(this.file);
      const fd = openSync(this.file, 'a', 0o600);
      try {
        appendFileSync(fd, `${JSON.stringify(record)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.logger.warn(`journal: ${kind} record kept locally until the store works again (${this.records.length} pending)`);
      this.ensureRetry();
      return true;
    } catch (err) {
      this.logger.error(`journal: cannot write ${kind} record (kept in memory only): ${(err as Error).message}`);
      this.ensureRetry();
      return false;
    }
  }

  /** Pending records of one kind, oldest first (their owners show them while the store is down). */
  pendingOf<T>(kind: string): T[] {
    return this.records.filter((r) => r.kind === kind).map((r) => r.payload as T);
  }

  get pending(): number {
    return this.records.length;
  }

  onApplicationBootstrap(): void {
    if (this.records.length) {
      this.logger.warn(`journal: ${this.records.length} record(s) from an earlier run to replay into the store`);
      void this.replay();
      this.ensureRetry();
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.replaying;
  }

  /** Replays pending records in order; stops at the first that fails (the store is still down). */
  replay(): Promise<void> {
    this.replaying ??= this.replayOnce().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayOnce(): Promise<void> {
    const batch = [...this.records];
    let done = 0;
    for (const record of batch) {
      const handler = this.handlers.get(record.kind);
      if (!handler) {
        this.lastError = `no handler for ${record.kind}`;
        break;
      }
      try {
        await handler(record.payload as never);
        done++;
      } catch (err) {
        this.lastError = (err as Error).message;
        break;
      }
    }
    if (done === 0) return;
    const replayed = new Set(batch.slice(0, done).map((r) => r.id));
    this.records = this.records.filter((r) => !replayed.has(r.id));
    this.rewrite();
    if (this.records.length === 0) this.lastError = null;
    this.logger.log(`journal: ${done} record(s) replayed into the store, ${this.records.length} pending`);
  }

  /** Rewrites the file with what is still pending (write, fsync, rename: never half a file). */
  private rewrite(): void {
    if (!this.file) return;
    try {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, this.records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
      const fd = openSync(tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(tmp, this.file);
    } catch (err) {
      this.logger.error(`journal: cannot rewrite (records will replay again): ${(err as Error).message}`);
    }
  }

  private ensureRetry(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.records.length === 0) {
        if (this.timer) clearInterval(this.timer);
        this.timer = null;
        return;
      }
      void this.replay();
    }, this.config.get('OUTBOX_POLL_MS'));
    this.timer.unref();
  }
}
