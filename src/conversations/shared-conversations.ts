import type { Conversation, Turn } from './conversation.js';

/** Redis could not be read: the caller goes on with what this instance knows. */
export const UNAVAILABLE = Symbol('unavailable');
/** The visitor cleared the conversation (on any instance): copies elsewhere must not bring it back. */
export const FORGOTTEN = Symbol('forgotten');

/**
 * Live conversations as every instance sees them (several instances: Redis, see
 * redis-conversations.ts). ConversationsService keeps its own copy of each conversation it works on and
 * reads this one first under the conversation's lock, so a thought split over two messages that reach
 * different instances is screened whole, and staff presence is the same everywhere. No method throws:
 * when Redis cannot be reached, the conversation goes on from this instance's copy (logged).
 */
export abstract class SharedConversations {
  /**
   * The conversation; undefined when Redis does not have it (never shared, gone idle, or Redis lost it);
   * FORGOTTEN when the visitor cleared it; UNAVAILABLE when Redis cannot be read.
   */
  abstract load(id: string): Promise<Conversation | undefined | typeof FORGOTTEN | typeof UNAVAILABLE>;

  /** Records the conversation's state; `turn` was just appended to it. */
  abstract save(conversation: Conversation, turn?: Turn): Promise<void>;

  /** Records a conversation brought back from the store (or kept here), unless an instance already has it. */
  abstract restore(conversation: Conversation): Promise<void>;

  /** A console joined (staffId) or left (null). */
  abstract setStaff(conversationId: string, presenceKey: string, staffId: string | null): Promise<void>;

  /** The conversations a console (presence key) is in, on any instance. */
  abstract joinedBy(presenceKey: string): Promise<string[]>;

  /** The visitor cleared it: removed, and remembered as cleared for as long as it could have lived. */
  abstract remove(id: string): Promise<void>;
}
