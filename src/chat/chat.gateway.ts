import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import type { Reply } from '../answers/reply.js';
import { ChatService } from './chat.service.js';
import { chatMessageSchema, errorReply, screenableText, type ErrorReply } from './message.schema.js';
import { MessageRateLimits } from './rate-limits.js';

/** The longest text screened from an invalid payload: enough for any real message. */
const MAX_SCREENED_CHARS = 20_000;

type Acknowledge = (response: Reply | ErrorReply) => void;

/**
 * Transport only: validates the payload, hands it to the chat pipeline, acknowledges. Every failure
 * is answered with `{ error: { code, message } }` and the connection stays open.
 */
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(MessageRateLimits) private readonly limits: MessageRateLimits,
  ) {}

  handleDisconnect(socket: Socket): void {
    void this.limits.forget(socket.id);
  }

  @SubscribeMessage('message')
  async onMessage(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    const respond = (response: Reply | ErrorReply) => {
      if (typeof ack === 'function') ack(response);
      else if ('error' in response) socket.emit('error', response);
      else socket.emit('reply', response);
    };
    try {
      const parsed = chatMessageSchema.safeParse(payload);
      if (!parsed.success || typeof ack !== 'function') {
        const message = parsed.success
          ? 'send the message with an acknowledgement callback'
          : parsed.error.issues.map((i) => i.message).join('; ');
        // Even an invalid message is screened: a crisis must never be lost to a formatting mistake.
        const crisis = await this.screenInvalid(payload);
        if (crisis && typeof ack === 'function') return respond(crisis);
        if (crisis) socket.emit('reply', crisis);
        return respond(errorReply('invalid_message', message));
      }
      const outcome = await this.chat.respond(parsed.data, () => this.limits.admit(socket.id));
      if ('rateLimited' in outcome) {
        return respond(errorReply('rate_limited', 'Too many messages: please wait a moment and try again.'));
      }
      respond(outcome.reply);
    } catch (err) {
      this.logger.error(`message from ${socket.id} failed: ${(err as Error).stack ?? err}`);
      respond(errorReply('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  }

  private async screenInvalid(payload: unknown): Promise<Reply | null> {
    const text = screenableText(payload)?.trim().slice(0, MAX_SCREENED_CHARS);
    if (!text) return null;
    const record = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
    const locale = record.locale === 'es' ? 'es' : 'en';
    const conversationId = typeof record.conversationId === 'string' ? record.conversationId : undefined;
    const outcome = await this.chat.respondIfCrisis({ text, locale, conversationId });
    return outcome;
  }
}
