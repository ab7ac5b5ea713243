/**
 * What the server sends the console: the staff sign-in API (`/api/auth/*`) and the `/staff` socket.io
 * namespace (README, "On-call console events"). Types only: nothing here ends up in the bundle.
 */

export type Role = 'oncall' | 'editor' | 'admin';

export interface Member {
  id: string;
  email: string;
  role: Role;
}

export interface Session {
  member: Member;
  expiresAt: string;
}

export type PagingState = 'not-configured' | 'pending' | 'retrying' | 'delivered' | 'failed';
export type FlagStatus = 'open' | 'acknowledged' | 'resolved';

export interface Flag {
  id: string;
  conversationId: string;
  /** The visitor's language (`en`, `es`). */
  locale: string;
  level: string;
  kind: string;
  reason: string;
  status: FlagStatus;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  visitorContact: string | null;
  paging: PagingState;
  /** False while the server's store is down and the flag lives in memory and its journal. */
  stored: boolean;
}

export interface Turn {
  seq: number;
  role: 'visitor' | 'bot' | 'staff' | 'notice';
  text: string;
  at: string;
  staffId?: string;
}

export type ActivityAction =
  'flag.view' | 'flag.acknowledge' | 'flag.resolve' | 'conversation.join' | 'conversation.message' | 'conversation.leave';

/** One audited action on a flag or its conversation (the flag's trail). */
export interface Activity {
  id: number;
  at: string;
  action: ActivityAction;
  staffId: string | null;
  flagId: string | null;
  conversationId: string | null;
  note?: string;
}

export interface TurnEvent {
  conversationId: string;
  turn: Turn;
}

export interface AlertEvent {
  conversationId: string;
  flagId: string;
  kind: string;
  at: string;
}

export interface ErrorAck {
  error: { code: string; message: string };
}

/** Requests on `/staff` and what each acknowledges (or an ErrorAck). */
export interface Requests {
  'flags:list': { body: undefined; reply: { flags: Flag[]; escalationMinutes: number } };
  'staff:directory': { body: undefined; reply: { staff: Array<{ id: string; email: string }> } };
  'flag:view': { body: { id: string }; reply: { flag: Flag; transcript: Turn[]; activity: Activity[] } };
  'flag:acknowledge': { body: { id: string }; reply: { flag: Flag } };
  'flag:resolve': { body: { id: string; note: string }; reply: { flag: Flag } };
  'conversation:join': { body: { conversationId: string }; reply: { ok: true } };
  'conversation:message': { body: { conversationId: string; text: string }; reply: { ok: true } };
  'conversation:leave': { body: { conversationId: string }; reply: { ok: true } };
}
