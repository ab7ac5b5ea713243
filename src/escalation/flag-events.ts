import { Injectable } from '@nestjs/common';
import type { Turn } from '../chat/conversation-store.js';

export interface FlagView {
  id: string;
  conversationId: string;
  level: string;
  kind: string;
  reason: string;
  status: 'open' | 'acknowledged' | 'resolved';
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  visitorContact: string | null;
  transcript: Array<Pick<Turn, 'seq' | 'role' | 'text' | 'at'>>;
}

type Events = {
  'flag:new': FlagView;
  'flag:updated': FlagView;
  'conversation:turn': { conversationId: string; turn: Pick<Turn, 'seq' | 'role' | 'text' | 'at'> };
  'staff:joined': { conversationId: string; staffId: string; at: string };
  'staff:message': { conversationId: string; staffId: string; text: string; at: string };
  'staff:left': { conversationId: string; staffId: string; at: string };
};

/**
 * In-process events between the domain and the transports (the /staff and /chat gateways), so the
 * domain never touches socket.io. Across several nodes the gateways' rooms (socket.io adapter) carry
 * the events further.
 */
@Injectable()
export class FlagEvents {
  private readonly listeners = new Map<keyof Events, Array<(payload: never) => void>>();
  /** On-call consoles connected to this node (reported by the staff gateway). */
  onCallConsoles = 0;

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (payload: never) => void);
    this.listeners.set(event, list);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[K]) => void)(payload);
  }
}
