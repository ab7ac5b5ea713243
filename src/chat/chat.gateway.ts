import { Inject, Logger, UseInterceptors } from '@nestjs/common';
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
import { LiveEvents } from '../events/live-events.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { clientAddress, trustFunction } from '../realtime/client-address.js';
import { SocketRequestInterceptor } from '../realtime/socket-requests.interceptor.js';
import { ChatService, type ChatOutcome } from './chat.service.js';
import { FeedbackRepository } from './feedback.repository.js';
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
import { safeParse } from '../validation/safe-parse.js';

type Acknowledge = (response: unknown) => void;
const room = (conversationId: string) => `conversation:${conversationId}`;
const RATE_LIMITED = 'Too many messages: please wait a moment and try again.';

/**
 * Transport only: validates payloads, hands them to the chat pipeline, acknowledges. Every failure is
 * answered with `{ error: { code, message } }` (with the crisis resources when the refused message showed
 * distress) and the connection stays open. Each socket joins its conversation's room, so a care-team
 * member's messages reach every tab showing that conversation.
 */
@WebSocketGateway({ namespace: '/chat' })
@UseInterceptors(SocketRequestInterceptor)
export class ChatGateway implements OnGatewayInit, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);
  @WebSocketServer() private readonly server!: Namespace;
  private readonly trust: ReturnType<typeof trustFunction>;

  constructor(
    @Inject(ChatService) private readonly chat: ChatService,
    @Inject(MessageRateLimits) private readonly limits: MessageRateLimits,
    @Inject(FeedbackRepository) private readonly feedback: FeedbackRepository,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(KnowledgeService) private readonly knowledge: KnowledgeService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.trust = trustFunction(config.get('TRUST_PROXY'));
  }

  afterInit(): void {
    this.events.on('staff:joined', ({ conversationId, at, text }) =>
      this.server.to(room(conversationId)).emit('staff:joined', { conversationId, at, text }),
    );
    this.events.on('staff:message', ({ conversationId, text, at }) =>
      this.server.to(room(conversationId)).emit('staff:message', { conversationId, text, at }),
    );
    this.events.on('staff:left', ({ conversationId, at, text }) =>
      this.server.to(room(conversationId)).emit('staff:left', { conversationId, at, text }),
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
    const address = clientAddress(socket.request, this.trust);
    try {
      const parsed = safeParse(chatMessageSchema, payload);
      if (!parsed.success || typeof ack !== 'function') {
        const message = parsed.success
          ? 'send the message with an acknowledgement callback'
          : parsed.error.issues.map((i) => i.message).join('; ');
        // Even an invalid message is screened, whole: a crisis must never be lost to a formatting mistake.
        const text = screenableText(payload)?.trim();
        const record = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
        const screened = text
          ? await this.chat.respondToInvalid({
              text,
              locale: record.locale === 'es' ? 'es' : 'en',
              conversationId: typeof record.conversationId === 'string' ? record.conversationId : undefined,
              resumeToken: typeof record.resumeToken === 'string' ? record.resumeToken : undefined,
              clientAddress: address,
            })
          : { reply: null, resources: null };
        if (screened.reply && 'reply' in screened.reply) {
          void socket.join(room(screened.reply.reply.conversationId));
          if (typeof ack === 'function') return respond(screened.reply.reply);
          socket.emit('reply', screened.reply.reply);
        }
        // Invalid payloads count against the connection's allowance too.
        if (!(await this.limits.admitOther(socket.id)))
          return respond(errorReply('rate_limited', RATE_LIMITED, screened.resources));
        return respond(errorReply('invalid_message', message, screened.resources));
      }
      const outcome: ChatOutcome = await this.chat.respond({ ...parsed.data, clientAddress: address }, (starts) =>
        this.limits.admit(socket.id, address, starts),
      );
      if ('refused' in outcome) return respond(errorReply('rate_limited', RATE_LIMITED, outcome.resources));
      void socket.join(room(outcome.reply.conversationId));
      respond(outcome.reply);
      // `text` is redacted from logs unless LOG_MESSAGE_TEXT is on (logging/log-options.ts).
      const { type, risk, conversationId } = outcome.reply;
      this.logger.debug({ msg: 'message answered', type, risk, conversationId, text: parsed.data.text });
    } catch (err) {
      this.logger.error(`message from ${socket.id} failed: ${(err as Error).stack ?? err}`);
      respond(errorReply('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  }

  /** A widget that reconnects or reloads asks for the conversation's recent turns and state. */
  @SubscribeMessage('resume')
  async onResume(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(socket, ack, resumeSchema, payload, async ({ conversationId, resumeToken }) => {
      const snapshot = await this.chat.snapshot(conversationId, resumeToken);
      if (!snapshot) return unknownConversation();
      void socket.join(room(conversationId));
      return snapshot;
    });
  }

  @SubscribeMessage('clear')
  async onClear(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(socket, ack, clearSchema, payload, async ({ conversationId, resumeToken }) => {
      if (!(await this.chat.forget(conversationId, resumeToken))) return unknownConversation();
      void socket.leave(room(conversationId));
      return { ok: true };
    });
  }

  /** "Was this helpful?": only for an answer this conversation was given; one vote per answer. */
  @SubscribeMessage('feedback')
  async onFeedback(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(socket, ack, feedbackSchema, payload, async ({ conversationId, resumeToken, entryId, helpful }) => {
      if (!this.knowledge.entry('en', entryId)) return errorReply('invalid_request', `no entry "${entryId}"`);
      if (!(await this.chat.answered(conversationId, resumeToken, entryId)))
        return errorReply('invalid_request', 'this conversation was not given that answer');
      await this.feedback.record(conversationId, entryId, helpful);
      void this.chat.feedbackGiven({ conversationId, resumeToken, entryId, helpful }).catch(() => undefined);
      return { ok: true };
    });
  }

  /** After a crisis reply, the visitor may leave a phone number or email for the care team. */
  @SubscribeMessage('contact')
  async onContact(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown, @Ack() ack?: Acknowledge): Promise<void> {
    await this.handle(socket, ack, contactSchema, payload, async ({ conversationId, resumeToken, contact }) => {
      if (!(await this.chat.authorized(conversationId, resumeToken))) return unknownConversation();
      return (await this.escalation.setVisitorContact(conversationId, contact))
        ? { ok: true }
        : errorReply('unknown_conversation', 'There is no open crisis flag for this conversation.');
    });
  }

  /** Validates, counts against the connection's allowance, runs, acknowledges; failures become errors. */
  private async handle<S extends z.ZodType>(
    socket: Socket,
    ack: Acknowledge | undefined,
    schema: S,
    payload: unknown,
    run: (data: z.infer<S>) => Promise<unknown>,
  ): Promise<void> {
    if (typeof ack !== 'function') return;
    if (!(await this.limits.admitOther(socket.id))) return ack(errorReply('rate_limited', RATE_LIMITED));
    const parsed = safeParse(schema, payload);
    if (!parsed.success) return ack(errorReply('invalid_request', parsed.error.issues.map((i) => i.message).join('; ')));
    try {
      ack(await run(parsed.data));
    } catch (err) {
      this.logger.error(`request failed: ${(err as Error).stack ?? err}`);
      ack(errorReply('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  }
}

function unknownConversation(): ErrorReply {
  return errorReply('unknown_conversation', 'This conversation is no longer available; the next message starts a new one.');
}
