import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HashedSoftmaxModel } from '../learning/hashed-softmax.js';
import { deserializeModel, serializeModel } from './classifier.js';

/** Trained classifier weights by the hash of everything they were trained on (see `trainingKey`). */
export interface ClassifierCache {
  get(key: string): Promise<HashedSoftmaxModel | null>;
  set(key: string, model: HashedSoftmaxModel): Promise<void>;
}

/** Weights kept per process; enough for every locale of a corpus and the one before it. */
const MEMORY_ENTRIES = 8;
const memory = new Map<string, HashedSoftmaxModel>();

/** For DATA_DIR=":memory:": nothing on disk; apps started in the same process share the weights. */
export class MemoryClassifierCache implements ClassifierCache {
  async get(key: string): Promise<HashedSoftmaxModel | null> {
    return memory.get(key) ?? null;
  }

  async set(key: string, model: HashedSoftmaxModel): Promise<void> {
    memory.delete(key);
    memory.set(key, model);
    while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  }
}

/** Files kept in the folder: the newest, so that a corpus and its predecessor both restart without training. */
const FILES_KEPT = 8;

/**
 * Weights on disk (DATA_DIR/matcher-cache by default): a restart, or another process with the same
 * corpus, loads them instead of training. Written to a temporary file and renamed, so a reader never
 * sees half a file; anything unreadable counts as a miss.
 */
export class DirectoryClassifierCache implements ClassifierCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<HashedSoftmaxModel | null> {
    const bytes = await readFile(this.file(key)).catch(() => null);
    return bytes ? deserializeModel(bytes) : null;
  }

  async set(key: string, model: HashedSoftmaxModel): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temporary = `${this.file(key)}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, serializeModel(model));
    await rename(temporary, this.file(key));
    await this.prune();
  }

  private file(key: string): string {
    return path.join(this.dir, `classifier-${key}.bin`);
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => /^classifier-[0-9a-f]+\.bin$/.test(n));
    if (names.length <= FILES_KEPT) return;
    const dated = await Promise.all(
      names.map(async (n) => ({ n, at: (await stat(path.join(this.dir, n)).catch(() => null))?.mtimeMs ?? 0 })),
    );
    dated.sort((a, b) => b.at - a.at);
    await Promise.all(dated.slice(FILES_KEPT).map(({ n }) => rm(path.join(this.dir, n), { force: true })));
  }
}
