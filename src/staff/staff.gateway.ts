import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { HandoffService } from '../chat/handoff.service.js';
import { AuditLog } from '../escalation/audit-log.js';
import { EscalationService, NotFound } from '../escalation/escalation.service.js';
import { FlagEvents } from '../escalation/flag-events.js';
import { tokenFrom } from './auth.controller.js';
import { StaffService, type StaffMember } from './staff.service.js';

const ON_CALL = 'oncall';
const id = z.object({ id: z.string().min(1).max(100) });
const conversation = z.object({ conversationId: z.string().min(1).max(100) });
const resolveSchema = id.extend({ note: z.string().trim().min(1, 'a note is required').max(2000) });
const messageSchema = conversation.extend({ text: z.string().trim().min(1).max(2000) });

type Acknowledge = (response: unknown) => void;
type StaffSocket = Socket & { data: { staff: StaffMember; joined: Set<string> } };

/**
 * The on-call console's channel, namespace /staff. Only signed-in on-call staff and admins connect
 * (token in the handshake's `auth.token`, or the console's cookie); everyone else is refused before
 * the connection opens. Every view and action is written to the audit log.
 */
@WebSocketGateway({ namespace: '/staff' })
export class StaffGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(StaffGateway.name);
  @WebSocketServer() private readonly server!: Namespace;

  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(FlagEvents) private readonly events: FlagEvents,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      const token =
        (socket.handshake.auth as { token?: string } | undefined)?.token ??
        tokenFrom({ cookie: socket.handshake.headers.cookie });
      this.staff
        .authenticate(token)
        .then((member) => {
          if (!member) return next(new Error('unauthorized'));
          if (member.role !== 'oncall' && member.role !== 'admin') return next(new Error('forbidden'));
          Object.assign(socket.data, { staff: member, joined: new Set<string>() });
          next();
        })
        .catch(() => next(new Error('unauthorized')));
    });
    this.events.on('flag:new', (f) => this.server.to(ON_CALL).emit('flag:new', f));
    this.events.on('flag:updated', (f) => this.server.to(ON_CALL).emit('flag:updated', f));
    this.events.on('conversation:turn', (t) => this.server.to(ON_CALL).emit('conversation:turn', t));
  }

  handleConnection(socket: StaffSocket): void {
    void socket.join(ON_CALL);
    this.events.onCallConsoles++;
  }

  handleDisconnect(socket: StaffSocket): void {
    if (!socket.data.staff) return;
    this.events.onCallConsoles = Math.max(0, this.events.onCallConsoles - 1);
    for (const conversationId of socket.data.joined ?? [])
      void this.handoff.leave(conversationId, socket.data.staff.id).catch(() => undefined);
  }

  @SubscribeMessage('flags:list')
  async list(@ConnectedSocket() socket: StaffSocket, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      await this.audit.record({ staffId: socket.data.staff.id, action: 'flag.list' });
      return { flags: await this.escalation.unresolved() };
    });
  }

  @SubscribeMessage('flag:view')
  async view(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      const { id: flagId } = id.parse(body);
      const flag = await this.escalation.view(flagId);
      await this.audit.record({
        staffId: socket.data.staff.id,
        action: 'flag.view',
        flagId,
        conversationId: flag.conversationId,
      });
      return { flag };
    });
  }

  @SubscribeMessage('flag:acknowledge')
  async acknowledge(
    @ConnectedSocket() socket: StaffSocket,
    @MessageBody() body: unknown,
    @Ack() ack: Acknowledge,
  ): Promise<void> {
    await this.run(ack, async () => {
      const { id: flagId } = id.parse(body);
      const flag = await this.escalation.acknowledge(flagId, socket.data.staff.id);
      await this.audit.record({
        staffId: socket.data.staff.id,
        action: 'flag.acknowledge',
        flagId,
        conversationId: flag.conversationId,
      });
      return { flag };
    });
  }

  @SubscribeMessage('flag:resolve')
  async resolve(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      const { id: flagId, note } = resolveSchema.parse(body);
      const flag = await this.escalation.resolve(flagId, socket.data.staff.id, note);
      await this.audit.record({
        staffId: socket.data.staff.id,
        action: 'flag.resolve',
        flagId,
        conversationId: flag.conversationId,
        detail: { note },
      });
      return { flag };
    });
  }

  @SubscribeMessage('conversation:join')
  async join(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      const { conversationId } = conversation.parse(body);
      await this.handoff.join(conversationId, socket.data.staff.id);
      socket.data.joined.add(conversationId);
      await this.audit.record({ staffId: socket.data.staff.id, action: 'conversation.join', conversationId });
      return { ok: true };
    });
  }

  @SubscribeMessage('conversation:message')
  async message(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      const { conversationId, text } = messageSchema.parse(body);
      if (!socket.data.joined.has(conversationId))
        throw new z.ZodError([
          { code: 'custom', path: ['conversationId'], message: 'join the conversation first', input: conversationId },
        ]);
      await this.handoff.say(conversationId, socket.data.staff.id, text);
      await this.audit.record({ staffId: socket.data.staff.id, action: 'conversation.message', conversationId });
      return { ok: true };
    });
  }

  @SubscribeMessage('conversation:leave')
  async leave(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(ack, async () => {
      const { conversationId } = conversation.parse(body);
      if (socket.data.joined.delete(conversationId)) await this.handoff.leave(conversationId, socket.data.staff.id);
      await this.audit.record({ staffId: socket.data.staff.id, action: 'conversation.leave', conversationId });
      return { ok: true };
    });
  }

  private async run(ack: Acknowledge | undefined, work: () => Promise<unknown>): Promise<void> {
    if (typeof ack !== 'function') return;
    try {
      ack(await work());
    } catch (err) {
      if (err instanceof z.ZodError)
        return ack({ error: { code: 'invalid_request', message: err.issues.map((i) => i.message).join('; ') } });
      if (err instanceof NotFound || (err as { status?: number }).status === 404)
        return ack({ error: { code: 'not_found', message: (err as Error).message } });
      this.logger.error(`staff request failed: ${(err as Error).stack ?? err}`);
      ack({ error: { code: 'internal_error', message: 'Something went wrong.' } });
    }
  }
}
