import { Injectable } from '@nestjs/common';

export type PagingState = 'not-configured' | 'pending' | 'retrying' | 'delivered' | 'failed';

/** A flag as on-call consoles see it in the queue. The transcript is sent on request (`flag:view`). */
export interface FlagView {
  id: string;
  conversationId: string;
  /** The visitor's language. */
  locale: string;
  level: string;
  kind: string;
  reason: string;
  status: 'open' | 'acknowledged' | 'resolved';
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  visitorContact: string | null;
  /** Where the page to the on-call webhook stands. */
  paging: PagingState;
  /** False while the store is down and the flag lives in memory and the local journal only. */
  stored: boolean;
}

export interface TurnView {
  seq: number;
  role: 'visitor' | 'bot' | 'staff' | 'notice';
  text: string;
  at: string;
  staffId?: string;
}

/** One message's outcome, for content analytics (insights/): who asked is never part of it. */
export interface MessageOutcome {
  at: string;
  locale: string;
  /** The visitor's text: kept for triage only when screened `none` and TRIAGE_STORE_TEXT is on. */
  text: string;
  /** The safety screen's level for this message. */
  level: string;
  crisisKind: string | null;
  /** The conversation is flagged (after this message). */
  flagged: boolean;
  newlyFlagged: boolean;
  /** The reply policy's decision: answer, fallback, crisis, crisis-follow-up, smalltalk, relayed. */
  reply: string;
  entryId: string | null;
  /** The matcher's reason, when it ran. */
  matchReason: string | null;
  /** The best candidates with their confidence. */
  candidates: Array<{ id: string; score: number }>;
}

/** A "Was this helpful?" vote, with the question that got the answer. */
export interface FeedbackGiven {
  at: string;
  locale: string;
  entryId: string;
  helpful: boolean;
  flagged: boolean;
  question: { text: string; level: string | null } | null;
}

type Events = {
  'chat:outcome': MessageOutcome;
  'chat:feedback': FeedbackGiven;
  'flag:new': FlagView;
  'flag:updated': FlagView;
  'conversation:turn': { conversationId: string; turn: TurnView };
  /** A crisis message in a conversation a care-team member is in: that person is alerted at once. */
  'conversation:alert': { conversationId: string; flagId: string; kind: string; at: string };
  'staff:joined': { conversationId: string; staffId: string; at: string; text: string };
  'staff:message': { conversationId: string; staffId: string; text: string; at: string };
  'staff:left': { conversationId: string; staffId: string; at: string; text: string };
};
export type FlagEventMap = Events;

/**
 * Live events from the domain to the transports (the /staff and /chat gateways), so the domain never
 * touches socket.io. They are emitted on the instance where they happen; across several instances the
 * gateways' rooms carry them further (the Redis streams adapter broadcasts to every instance's sockets),
 * so a flag raised on one instance reaches consoles connected to any other.
 */
@Injectable()
export class LiveEvents {
  private readonly listeners = new Map<keyof Events, Array<(payload: never) => void>>();
  private consolesHere = 0;
  private readonly consoleListeners: Array<(count: number) => void> = [];
  /** On-call consoles connected to the other instances (several instances: kept by the cluster). */
  consolesElsewhere = 0;

  /** On-call consoles connected to this node (reported by the staff gateway). */
  get onCallConsoles(): number {
    return this.consolesHere;
  }

  set onCallConsoles(count: number) {
    this.consolesHere = count;
    for (const listener of this.consoleListeners) listener(count);
  }

  /** On-call consoles open anywhere in the deployment. */
  get consolesOpen(): number {
    return this.consolesHere + this.consolesElsewhere;
  }

  /** Called whenever this node's console count changes (the cluster tells the other instances). */
  onConsolesChanged(listener: (count: number) => void): void {
    this.consoleListeners.push(listener);
  }

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (payload: never) => void);
    this.listeners.set(event, list);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[K]) => void)(payload);
  }
}
