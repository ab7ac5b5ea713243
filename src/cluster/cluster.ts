import { randomUUID } from 'node:crypto';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { KeyedLock } from '../conversations/keyed-lock.js';

export type LimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0] & { keyPrefix: string };

/** Messages between instances. */
export interface ClusterTopics {
  /** Something was published or imported: the others rebuild their corpus from the store. */
  corpus: { version: string };
  /** An instance's console count changed: the others read the counts again. */
  consoles: Record<string, never>;
}

/**
 * What the instances of one deployment share. With REDIS_URL it lives in Redis (cluster/redis-cluster.ts,
 * loaded only then); without it, one process is the whole deployment and this is plain memory, exactly
 * as before several instances existed. Each piece has one owner elsewhere: conversations use `lock`,
 * the rate limiters `limiter`, the corpus `publish`/`subscribe`, the staff gateway the console count.
 */
export abstract class Cluster {
  /** This instance, in logs and in the presence it records. */
  readonly nodeId = randomUUID();

  /** True when several instances may run (REDIS_URL is set). */
  abstract readonly shared: boolean;

  /** Runs `task` while no other task holds `key`, on this instance or any other. */
  abstract lock<T>(key: string, task: () => Promise<T>): Promise<T>;

  /** A rate limiter whose counts every instance shares. */
  abstract limiter(options: LimiterOptions): RateLimiterAbstract;

  /** Tells the other instances (never this one). */
  abstract publish<K extends keyof ClusterTopics>(topic: K, message: ClusterTopics[K]): void;

  /** Called for each message another instance publishes. */
  abstract subscribe<K extends keyof ClusterTopics>(topic: K, listener: (message: ClusterTopics[K]) => void): void;

  /** Instances alive now (this one included). */
  abstract liveNodes(): Promise<Set<string>>;

  /**
   * Called when the shared state can be reached again after an outage (never in one process), with when
   * it was found unreachable.
   */
  abstract onReconnect(listener: (lostAt: number) => void): void;

  /** The socket.io adapter that carries broadcasts to the other instances (none in one process). */
  socketAdapter(): unknown {
    return null;
  }
}

/** One process: locks, limiters and presence in memory; nobody else to tell. */
export class LocalCluster extends Cluster {
  readonly shared = false;
  private readonly locks = new KeyedLock();

  lock<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(key, task);
  }

  limiter(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterMemory(options);
  }

  publish(): void {}

  subscribe(): void {}

  onReconnect(): void {}

  async liveNodes(): Promise<Set<string>> {
    return new Set([this.nodeId]);
  }
}
