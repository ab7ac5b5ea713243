// Loaded only when REDIS_URL is set (see cluster.module.ts): the embedded default never loads Redis code.
import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Mutex } from 'redis-semaphore';
import { KeyedLock } from '../conversations/keyed-lock.js';
import type { LiveEvents } from '../events/live-events.js';
import { Cluster, type ClusterTopics, type LimiterOptions } from './cluster.js';

/** Every key and channel this app writes starts with this. */
export const PREFIX = 'kap:';
/** How often an instance says it is alive (with its console count), and how long that holds. */
const HEARTBEAT_MS = 2_000;
const NODE_TTL_MS = 10_000;
/**
 * Locks expire on their own after LOCK_TTL_MS, so a crashed instance never holds one for long; while a
 * task runs, its lock is refreshed every LOCK_REFRESH_MS.
 */
const LOCK_TTL_MS = 15_000;
const LOCK_REFRESH_MS = 5_000;
/** A conversation's messages wait at most this long for each other; corpus work (index builds) longer. */
const LOCK_WAIT_MS = { conversation: 30_000, other: 10 * 60_000 };
/** The socket.io adapter's blocking stream read. */
const ADAPTER_BLOCK_MS = 5_000;

type Envelope = { from: string; topic: string; message: unknown };

/**
 * What several instances share, in Redis (ioredis): per-key locks (redis-semaphore's Mutex: SET NX PX
 * with a random token, released and refreshed only by its holder through Lua scripts), rate limiters
 * (rate-limiter-flexible's Redis store, with an in-memory stand-in while Redis cannot be reached), messages
 * between instances (pub/sub), the instances alive and their console counts (heartbeat keys), and the
 * socket.io adapter (Redis streams, which supports connection-state recovery).
 *
 * A crisis reply never waits on Redis: while Redis is unreachable, or when a lock cannot be had (held far
 * too long), the task runs under this instance's lock only (logged).
 */
export class RedisCluster extends Cluster {
  readonly shared = true;
  private readonly logger = new Logger('Cluster');
  private readonly local = new KeyedLock();
  private readonly listeners = new Map<string, Array<(message: never) => void>>();
  private readonly reconnectListeners: Array<(lostAt: number) => void> = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private nodes = new Set<string>([this.nodeId]);
  private nodesAt = 0;

  private constructor(
    readonly client: Redis,
    private readonly subscriber: Redis,
    /** For the socket.io adapter, which duplicates it for its blocking stream reads: no command timeout. */
    private readonly adapterClient: Redis,
    private readonly events: LiveEvents,
  ) {
    super();
    subscriber.on('message', (channel: string, raw: string) => this.received(channel, raw));
    // ioredis reconnects by itself; once it has, whatever changed meanwhile is shared again.
    let lostAt: number | null = null;
    client.on('close', () => (lostAt ??= Date.now()));
    client.on('ready', () => {
      if (lostAt === null) return;
      const since = lostAt;
      lostAt = null;
      void this.beat();
      for (const listener of this.reconnectListeners) listener(since);
    });
    events.onConsolesChanged(() => void this.beat().then(() => this.send('consoles', {})));
    this.on('consoles', () => void this.refreshNodes());
  }

  static async connect(url: string, events: LiveEvents): Promise<RedisCluster> {
    const options = { maxRetriesPerRequest: 2, commandTimeout: 2_000, connectionName: 'kap' };
    const client = new Redis(url, options);
    // A blocking read must not time out: a reply arriving after its timeout would be dropped.
    const subscriber = new Redis(url, { ...options, commandTimeout: undefined });
    // Its commands time out only well past a blocking read, when Redis hangs: broadcasts wait on them.
    const adapterClient = new Redis(url, { ...options, commandTimeout: ADAPTER_BLOCK_MS + 3_000, connectionName: 'kap-socket.io' });
    const logger = new Logger('Cluster');
    let down = false;
    for (const connection of [client, subscriber, adapterClient]) {
      // ioredis reconnects by itself; say so once per outage, not on every retry.
      connection.on('error', (err: Error) => {
        if (!down) logger.error(`Redis unreachable (${err.message}): retrying; instances share nothing meanwhile`);
        down = true;
      });
      connection.on('ready', () => {
        if (down) logger.log('Redis reachable again');
        down = false;
      });
    }
    const cluster = new RedisCluster(client, subscriber, adapterClient, events);
    await subscriber.subscribe(`${PREFIX}cluster`).catch((err: Error) => logger.error(`Redis subscribe failed: ${err.message}`));
    await cluster.beat();
    cluster.heartbeat = setInterval(() => void cluster.beat(), HEARTBEAT_MS);
    cluster.heartbeat.unref();
    logger.log(`Instance ${cluster.nodeId} sharing state through Redis`);
    return cluster;
  }

  /** The socket.io adapter: broadcasts reach every instance's sockets; recovered sessions live in Redis. */
  override socketAdapter() {
    return createAdapter(this.adapterClient, {
      streamName: `${PREFIX}socket.io`,
      sessionKeyPrefix: `${PREFIX}sio:session:`,
      blockTimeInMs: ADAPTER_BLOCK_MS,
    });
  }

  /** False while Redis cannot be reached: callers then go on without it at once rather than wait on it. */
  get reachable(): boolean {
    return this.client.status === 'ready';
  }

  lock<T>(key: string, task: () => Promise<T>): Promise<T> {
    // This instance's own tasks queue locally first: only one of them at a time asks Redis.
    return this.local.run(key, async () => {
      if (!this.reachable) return task();
      const mutex = new Mutex(this.client, `${PREFIX}${key}`, {
        lockTimeout: LOCK_TTL_MS,
        refreshInterval: LOCK_REFRESH_MS,
        acquireTimeout: key.startsWith('conversation:') ? LOCK_WAIT_MS.conversation : LOCK_WAIT_MS.other,
        retryInterval: 10,
        onLockLost: (err) => this.logger.error(`lock ${key} lost while held (${err.message}): another instance may run meanwhile`),
      });
      try {
        await mutex.acquire();
      } catch (err) {
        this.logger.error(`lock ${key} not obtained (${(err as Error).message}): running under this instance's lock only`);
        return task();
      }
      try {
        return await task();
      } finally {
        await mutex.release().catch(() => undefined);
      }
    });
  }

  limiter(options: LimiterOptions): RateLimiterAbstract {
    return new RateLimiterRedis({
      ...options,
      keyPrefix: `${PREFIX}${options.keyPrefix}`,
      storeClient: this.client,
      rejectIfRedisNotReady: true,
      // While Redis cannot be reached, each instance counts on its own rather than refusing everyone.
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  publish<K extends keyof ClusterTopics>(topic: K, message: ClusterTopics[K]): void {
    this.send(topic, message);
  }

  subscribe<K extends keyof ClusterTopics>(topic: K, listener: (message: ClusterTopics[K]) => void): void {
    this.on(topic, listener);
  }

  onReconnect(listener: (lostAt: number) => void): void {
    this.reconnectListeners.push(listener);
  }

  async liveNodes(): Promise<Set<string>> {
    if (Date.now() - this.nodesAt > HEARTBEAT_MS) await this.refreshNodes();
    return this.nodes;
  }

  /** Ends the heartbeat, says this instance is gone, and closes the connections (after socket.io closed). */
  async onApplicationShutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.client
      .multi()
      .del(`${PREFIX}node:${this.nodeId}`)
      .srem(`${PREFIX}nodes`, this.nodeId)
      .exec()
      .catch(() => undefined);
    this.send('consoles', {});
    await Promise.all([this.subscriber, this.client, this.adapterClient].map((c) => c.quit().catch(() => undefined)));
  }

  private on(topic: string, listener: (message: never) => void): void {
    const list = this.listeners.get(topic) ?? [];
    list.push(listener);
    this.listeners.set(topic, list);
  }

  private send(topic: string, message: unknown): void {
    const envelope: Envelope = { from: this.nodeId, topic, message };
    this.client.publish(`${PREFIX}cluster`, JSON.stringify(envelope)).catch((err: Error) => {
      this.logger.error(`could not tell the other instances about ${topic}: ${err.message}`);
    });
  }

  private received(channel: string, raw: string): void {
    if (channel !== `${PREFIX}cluster`) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.nodeId) return;
    for (const listener of this.listeners.get(envelope.topic) ?? []) {
      try {
        (listener as (message: unknown) => void)(envelope.message);
      } catch (err) {
        this.logger.error(`handling ${envelope.topic} from another instance failed: ${(err as Error).message}`);
      }
    }
  }

  /** Says this instance is alive, with its console count, and reads the others'. */
  private async beat(): Promise<void> {
    try {
      await this.client
        .multi()
        .set(`${PREFIX}node:${this.nodeId}`, String(this.events.onCallConsoles), 'PX', NODE_TTL_MS)
        .sadd(`${PREFIX}nodes`, this.nodeId)
        .exec();
      await this.refreshNodes();
    } catch {
      // Logged once by the connection's error handler; the next beat tries again.
    }
  }

  private async refreshNodes(): Promise<void> {
    try {
      const ids = await this.client.smembers(`${PREFIX}nodes`);
      const counts = ids.length ? await this.client.mget(ids.map((id) => `${PREFIX}node:${id}`)) : [];
      const alive = new Set<string>([this.nodeId]);
      let elsewhere = 0;
      const gone: string[] = [];
      ids.forEach((id, i) => {
        if (counts[i] === null) gone.push(id);
        else alive.add(id);
        if (counts[i] !== null && id !== this.nodeId) elsewhere += Number(counts[i]) || 0;
      });
      if (gone.length) await this.client.srem(`${PREFIX}nodes`, ...gone);
      this.nodes = alive;
      this.nodesAt = Date.now();
      this.events.consolesElsewhere = elsewhere;
    } catch {
      // Unreachable: keep the last known view until the next beat.
    }
  }
}
