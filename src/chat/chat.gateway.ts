import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Reply } from '../answers/reply.js';
import { AppConfig } from '../config/app-config.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { FlagEvents } from '../escalation/flag-events.js';
import { ChatService } from './chat.service.js';
import { FeedbackRepository } from './feedback.repository.js';
import { HandoffService } from './handoff.service.js';
import {
  chatMessageSchema,
  clearSchema,
  contactSchema,
  errorReply,
  feedbackSchema,
  resumeSchema,
  screenableText,
  type ErrorReply,
} from './message.schema.js';
import { MessageRateLimits } from './rate-limits.js';

/** The longest text screened from an invalid payload: enough for any real message. */
const MAX_SCREENED_CHARS = 20_000;

type Acknowledge = (response: unknown) => void;
const room = (conversationId: string) => `conversation:${conversationId}`;

/** The visitor's address: the proxy's X-Forwarded-For only when TRUST_PROXY says to believe it. */
function clientAddress(socket: Socket, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (trustProxy && first) || socket.handshake.address;
}

/**
 * Transport only: validates payloads, hands them to the chat pipeline, acknowledges. Every failure is
 * answered with `{ error: { code, message } }` and the connection stays open. Each socket joins its
 * conversation's room, so a care-team member's messages reach every tab showing that conversation.
 */
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);
  @WebSocketServer() private readonly server!: Namespace;

  constructor(
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(MessageRateLimits) private readonly limits: MessageRateLimits,
    @Inject(FeedbackRepository) private readonly feedback: FeedbackRepository,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(FlagEvents) private readonly events: FlagEvents,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.trustProxy = config.get('TRUST_PROXY');
  }

  private readonly trustProxy: boolean;

  afterInit(): void {
    this.events.on('staff:joined', ({ conversationId, at }) =>
      this.server
        .to(room(conversationId))
        .emit('staff:joined', { conversationId, at, text: this.handoff.notice(conversationId, 'staffJoined') }),
    );
    this.events.on('staff:message', ({ conversationId, text, at }) =>
      this.server.to(room(conversationId)).emit('staff:message', { conversationId, text, at }),
    );
    this.events.on('staff:left', ({ conversationId, at }) =>
      this.server
        .to(room(conversationId))
        .emit('staff:left', { conversationId, at, text: this.handoff.notice(conversationId, 'staffLeft') }),
    );
  }

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
        if (crisis) void socket.join(room(crisis.conversationId));
        if (crisis && typeof ack === 'function') return respond(crisis);
        if (crisis) socket.emit('reply', crisis);
        return respond(errorReply('invalid_message', message));
      }
      const outcome = await this.chat.respond(parsed.data, (starts) =>
        this.limits.admit(socket.id, clientAddress(socket, this.trustProxy), starts),
      );
      if ('rateLimited' in outcome)
        return respond(errorReply('rate_limited', 'Too many messages: please wait a moment and try again.'));
      void socket.join(room(outcome.reply.conversationId));
      respond(outcome.reply);
    } catch (err) {
      this.logger.error(`message from ${socket.id} failed: ${(err as Error).stack ?? err}`);
      respond(errorReply('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  }

  /** A widget that reconnects or reloads asks for the conversation's recent turns and state. */
  @SubscribeMessage('resume')
  async onResume(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(ack, resumeSchema, payload, async ({ conversationId }) => {
      const snapshot = await this.chat.snapshot(conversationId);
      if (!snapshot)
        return errorReply('unknown_conversation', 'This conversation is no longer available; the next message starts a new one.');
      void socket.join(room(conversationId));
      return snapshot;
    });
  }

  @SubscribeMessage('clear')
  async onClear(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(ack, clearSchema, payload, async ({ conversationId }) => {
      this.chat.forget(conversationId);
      void socket.leave(room(conversationId));
      return { ok: true };
    });
  }

  @SubscribeMessage('feedback')
  async onFeedback(@MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(ack, feedbackSchema, payload, async ({ conversationId, entryId, helpful }) => {
      await this.feedback.record(conversationId, entryId, helpful);
      return { ok: true };
    });
  }

  /** After a crisis reply, the visitor may leave a phone number or email for the care team. */
  @SubscribeMessage('contact')
  async onContact(@MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(ack, contactSchema, payload, async ({ conversationId, contact }) =>
      (await this.escalation.setVisitorContact(conversationId, contact))
        ? { ok: true }
        : errorReply('unknown_conversation', 'There is no open crisis flag for this conversation.'),
    );
  }

  /** Validates, runs, acknowledges; any failure becomes an error acknowledgement. */
  private async handle<S extends z.ZodType>(
    ack: Acknowledge | undefined,
    schema: S,
    payload: unknown,
    run: (data: z.infer<S>) => Promise<unknown>,
  ): Promise<void> {
    if (typeof ack !== 'function') return;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return ack(errorReply('invalid_request', parsed.error.issues.map((i) => i.message).join('; ')));
    try {
      ack(await run(parsed.data));
    } catch (err) {
      this.logger.error(`request failed: ${(err as Error).stack ?? err}`);
      ack(errorReply('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  }

  private async screenInvalid(payload: unknown): Promise<Reply | null> {
    const text = screenableText(payload)?.trim().slice(0, MAX_SCREENED_CHARS);
    if (!text) return null;
    const record = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
    const locale = record.locale === 'es' ? 'es' : 'en';
    const conversationId = typeof record.conversationId === 'string' ? record.conversationId : undefined;
    return this.chat.respondIfCrisis({ text, locale, conversationId });
  }
}
