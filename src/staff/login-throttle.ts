import { Inject, Injectable } from '@nestjs/common';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Cluster } from '../cluster/cluster.js';

/** Failures from one address (any accounts) before that address is refused for an hour. */
const ADDRESS_FAILURES = 50;
/** Failures for one account from one address before that pair is refused for 15 minutes. */
const PAIR_FAILURES = 10;
/** The longest an attempt is slowed down for an account under attack. */
const MAX_DELAY_MS = 2_000;

export type ThrottleVerdict = { refused: true; retryAfterSeconds: number } | { refused: false; delayMs: number };

/**
 * Sign-in throttling that slows the attacker, not the account holder (rate-limiter-flexible counts):
 *  - an address that keeps failing is refused, for one account (10 failures) or for all (50 per hour);
 *  - an account under attack from anywhere is only slowed down (exponential backoff, at most 2 s):
 *    it is never refused, so a correct password from an address that has not failed always gets in.
 * With several instances the counts live in Redis: an attacker gains nothing by spreading attempts.
 */
@Injectable()
export class LoginThrottle {
  private readonly byAddress: RateLimiterAbstract;
  private readonly byPair: RateLimiterAbstract;
  private readonly byAccount: RateLimiterAbstract;

  constructor(@Inject(Cluster) cluster: Cluster) {
    this.byAddress = cluster.limiter({ keyPrefix: 'addr', points: ADDRESS_FAILURES, duration: 3600, blockDuration: 3600 });
    this.byPair = cluster.limiter({ keyPrefix: 'pair', points: PAIR_FAILURES, duration: 900, blockDuration: 900 });
    this.byAccount = cluster.limiter({ keyPrefix: 'acct', points: 1_000_000, duration: 900 });
  }

  async check(address: string, account: string): Promise<ThrottleVerdict> {
    const [addr, pair, acct] = await Promise.all([
      this.byAddress.get(address),
      this.byPair.get(pairKey(address, account)),
      this.byAccount.get(account),
    ]);
    for (const [res, limit] of [
      [addr, ADDRESS_FAILURES],
      [pair, PAIR_FAILURES],
    ] as const) {
      if (res && res.consumedPoints >= limit) return { refused: true, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
    }
    const failures = acct?.consumedPoints ?? 0;
    return { refused: false, delayMs: failures < 3 ? 0 : Math.min(MAX_DELAY_MS, 100 * 2 ** (failures - 3)) };
  }

  async failed(address: string, account: string): Promise<void> {
    await Promise.all([
      this.byAddress.penalty(address, 1),
      this.byPair.penalty(pairKey(address, account), 1),
      this.byAccount.penalty(account, 1),
    ]);
  }

  async succeeded(address: string, account: string): Promise<void> {
    await this.byPair.delete(pairKey(address, account));
  }
}

function pairKey(address: string, account: string): string {
  return `${account}\n${address}`;
}
