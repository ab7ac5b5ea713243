// Loaded only when REDIS_URL is set (see conversations.module.ts).
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PREFIX, type RedisCluster } from '../cluster/redis-cluster.js';
import type { Conversation, Turn } from './conversation.js';
import { FORGOTTEN, SharedConversations, UNAVAILABLE } from './shared-conversations.js';

type Head = Pick<Conversation, 'id' | 'locale' | 'tokenHash' | 'createdAt' | 'updatedAt' | 'risk' | 'storedSeq'>;
type Presence = { staffId: string; node: string };

/**
 * Writes a conversation's state and, with a turn, appends it, only if the stored sequence number is the one
 * this writer read (ARGV[2]): a writer whose lock ran out can never overwrite a newer holder's turns.
 * Returns -1 when written, else the stored sequence number.
 */
const SAVE = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'lastSeq') or '0')
if cur ~= tonumber(ARGV[2]) then return cur end
redis.call('HSET', KEYS[1], 'head', ARGV[1])
if ARGV[3] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
  redis.call('HSET', KEYS[1], 'lastSeq', ARGV[4])
end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
return -1`;

/**
 * Writes the whole conversation (ARGV[5..]: its turns); with ARGV[4] = '1', only when nobody has it. A
 * cleared conversation that staff bring back from the store (KEYS[4]: its tombstone) is live again.
 */
const REPLACE = `
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
redis.call('HSET', KEYS[1], 'head', ARGV[1], 'lastSeq', ARGV[2])
for i = 5, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return 1`;

/** Conversations in Redis: a hash (state, last sequence number), a list of turns, a hash of presence. */
export class RedisConversations extends SharedConversations {
  private readonly logger = new Logger('SharedConversations');
  private lastError = 0;

  constructor(
    private readonly redis: Redis,
    private readonly cluster: RedisCluster,
    /** Idle conversations are forgotten after this long (CONVERSATION_IDLE_MINUTES). */
    private readonly ttlMs: number,
    private readonly maxTurns: number,
  ) {
    super();
  }

  async load(id: string): Promise<Conversation | undefined | typeof FORGOTTEN | typeof UNAVAILABLE> {
    if (!this.cluster.reachable) return UNAVAILABLE;
    try {
      const [head, turns, staff, forgotten] = (await this.redis
        .multi()
        .hget(this.key(id), 'head')
        .lrange(this.key(id, 'turns'), 0, -1)
        .hgetall(this.key(id, 'staff'))
        .exists(this.key(id, 'forgotten'))
        .exec())!.map(([err, value]) => {
        if (err) throw err;
        return value;
      }) as [string | null, string[], Record<string, string>, number];
      if (forgotten) return FORGOTTEN;
      if (!head) return undefined;
      // Presence recorded by an instance that is gone (it crashed) no longer counts.
      const alive = await this.cluster.liveNodes();
      const present = Object.entries(staff)
        .map(([key, raw]) => [key, JSON.parse(raw) as Presence] as const)
        .filter(([, p]) => alive.has(p.node))
        .map(([key, p]) => [key, p.staffId] as [string, string]);
      return { ...(JSON.parse(head) as Head), transcript: turns.map((t) => JSON.parse(t) as Turn), staff: new Map(present) };
    } catch (err) {
      this.failed('read', err);
      return UNAVAILABLE;
    }
  }

  async save(conversation: Conversation, turn?: Turn): Promise<void> {
    if (!this.cluster.reachable) return;
    const expected = turn ? turn.seq - 1 : (conversation.transcript.at(-1)?.seq ?? conversation.storedSeq);
    try {
      const result = (await this.redis.eval(
        SAVE,
        3,
        this.key(conversation.id),
        this.key(conversation.id, 'turns'),
        this.key(conversation.id, 'staff'),
        JSON.stringify(head(conversation)),
        expected,
        turn ? JSON.stringify(turn) : '',
        turn?.seq ?? 0,
        this.maxTurns,
        this.ttlMs,
      )) as number;
      if (result === -1) return;
      if (result < expected) {
        // Redis lost what this instance wrote (an outage, an expiry): this copy is the newer one.
        await this.replace(conversation, false);
        return;
      }
      this.logger.error(
        `conversation ${conversation.id}: another instance wrote turn ${result} meanwhile (a lock ran out); this write was refused`,
      );
    } catch (err) {
      this.failed('write', err);
    }
  }

  async restore(conversation: Conversation): Promise<void> {
    try {
      await this.replace(conversation, true);
    } catch (err) {
      this.failed('write', err);
    }
  }

  async setStaff(conversationId: string, presenceKey: string, staffId: string | null): Promise<void> {
    const presence = `${PREFIX}presence:${presenceKey}`;
    const multi = this.redis.multi();
    if (staffId) {
      multi.hset(this.key(conversationId, 'staff'), presenceKey, JSON.stringify({ staffId, node: this.cluster.nodeId } satisfies Presence));
      multi.sadd(presence, conversationId);
    } else {
      multi.hdel(this.key(conversationId, 'staff'), presenceKey);
      multi.srem(presence, conversationId);
    }
    multi.pexpire(this.key(conversationId, 'staff'), this.ttlMs).pexpire(presence, this.ttlMs);
    await multi.exec().catch((err: unknown) => this.failed('write', err));
  }

  async joinedBy(presenceKey: string): Promise<string[]> {
    try {
      return await this.redis.smembers(`${PREFIX}presence:${presenceKey}`);
    } catch (err) {
      this.failed('read', err);
      return [];
    }
  }

  async remove(id: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.key(id), this.key(id, 'turns'), this.key(id, 'staff'))
      .set(this.key(id, 'forgotten'), '1', 'PX', this.ttlMs)
      .exec()
      .catch((err: unknown) => this.failed('write', err));
  }

  private async replace(conversation: Conversation, onlyIfAbsent: boolean): Promise<void> {
    const lastSeq = conversation.transcript.at(-1)?.seq ?? conversation.storedSeq;
    await this.redis.eval(
      REPLACE,
      4,
      this.key(conversation.id),
      this.key(conversation.id, 'turns'),
      this.key(conversation.id, 'staff'),
      this.key(conversation.id, 'forgotten'),
      JSON.stringify(head(conversation)),
      lastSeq,
      this.ttlMs,
      onlyIfAbsent ? '1' : '0',
      ...conversation.transcript.slice(-this.maxTurns).map((t) => JSON.stringify(t)),
    );
  }

  private key(id: string, part?: 'turns' | 'staff' | 'forgotten'): string {
    return `${PREFIX}conversation:${id}${part ? `:${part}` : ''}`;
  }

  /** Logged at most every 10 s: during an outage every message would say it again. */
  private failed(what: 'read' | 'write', err: unknown): void {
    if (Date.now() - this.lastError < 10_000) return;
    this.lastError = Date.now();
    this.logger.error(`cannot ${what} shared conversations (${(err as Error).message}): going on with this instance's copy`);
  }
}

function head(c: Conversation): Head {
  return {
    id: c.id,
    locale: c.locale,
    tokenHash: c.tokenHash,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    risk: c.risk,
    storedSeq: c.storedSeq,
  };
}
