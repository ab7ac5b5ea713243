import { Injectable, Logger } from '@nestjs/common';
import type { Conversation } from '../chat/conversation-store.js';
import type { SafetyDecision } from '../safety/screen.js';

export interface RaisedFlag {
  conversationId: string;
  /** Whether a person on the care team has been (or is being) alerted, so the reply may say so. */
  staffAlerted: boolean;
}

/**
 * Raises a crisis flag for a conversation. This base version records the flag in the log only; it
 * does not alert anyone, so crisis replies do not claim that anyone was alerted.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  async raise(conversation: Conversation, decision: SafetyDecision): Promise<RaisedFlag> {
    this.logger.warn(
      `Crisis flag on conversation ${conversation.id}: ${decision.kind} (${decision.reasons.map((r) => r.rule).join(', ')})`,
    );
    return { conversationId: conversation.id, staffAlerted: false };
  }

  /** Whether someone on the care team has been alerted about this conversation. */
  alerted(_conversation: Conversation): boolean {
    return false;
  }

  /** Called for every turn of a flagged conversation, so its stored transcript stays complete. */
  async recordTurn(_conversation: Conversation): Promise<void> {}
}
