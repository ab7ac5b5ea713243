import { Inject, Logger, UseInterceptors, type OnModuleDestroy } from '@nestjs/common';
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
import { HandoffService, NotJoined } from '../chat/handoff.service.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { AuditLog, inTrail, type AuditAction, type FlagActivity } from '../escalation/audit-log.js';
import { AppConfig } from '../config/app-config.js';
import { EscalationService, NotFound } from '../escalation/escalation.service.js';
import { LiveEvents, type TurnView } from '../events/live-events.js';
import { SocketRequestInterceptor } from '../realtime/socket-requests.interceptor.js';
import { tokenFrom } from './auth.controller.js';
import { StaffService, type SessionsEnded, type StaffMember } from './staff.service.js';
import { parse } from '../validation/safe-parse.js';

const ON_CALL = 'oncall';
const joinedRoom = (conversationId: string) => `joined:${conversationId}`;
/** How often open consoles' sessions are checked again (an account disabled from the command line). */
const SESSION_SWEEP_MS = 15_000;
const id = z.object({ id: z.string().min(1).max(100) });
const conversation = z.object({ conversationId: z.string().min(1).max(100) });
const resolveSchema = id.extend({ note: z.string().trim().min(1, 'a note is required').max(2000) });
const messageSchema = conversation.extend({ text: z.string().trim().min(1).max(2000) });

type Acknowledge = (response: unknown) => void;
interface StaffData {
  staff: StaffMember;
  token: string;
  tokenHash: string;
}
type StaffSocket = Socket & { data: StaffData };

/**
 * The on-call console's channel, namespace /staff. Only signed-in on-call staff and admins connect
 * (token in the handshake's `auth.token`, or the console's cookie); everyone else is refused before the
 * connection opens. Every request checks the session again, and a session that ends (logout, expiry, a
 * disabled account, a new password) disconnects its sockets at once. Every view and action is audited,
 * and each one on a flag or its conversation goes to every console as `flag:activity` (the flag's trail).
 */
@WebSocketGateway({ namespace: '/staff' })
@UseInterceptors(SocketRequestInterceptor)
export class StaffGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger(StaffGateway.name);
  @WebSocketServer() private readonly server!: Namespace;
  private sweeper: NodeJS.Timeout | null = null;
  /** Each console's disconnection when its session expires, by socket id. */
  private readonly expiries = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(StaffService) private readonly staff: StaffService,
    @Inject(EscalationService) private readonly escalation: EscalationService,
    @Inject(HandoffService) private readonly handoff: HandoffService,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
    @Inject(LiveEvents) private readonly events: LiveEvents,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      const token =
        (socket.handshake.auth as { token?: string } | undefined)?.token ??
        tokenFrom({ cookie: socket.handshake.headers.cookie });
      this.staff
        .session(token)
        .then((session) => {
          if (!session || !token) return next(new Error('unauthorized'));
          if (!isOnCall(session.member)) return next(new Error('forbidden'));
          const untilExpiry = Math.max(0, Date.parse(session.expiresAt) - Date.now());
          const expiry = setTimeout(() => socket.disconnect(true), Math.min(untilExpiry, 2 ** 31 - 1));
          expiry.unref();
          // Kept beside the socket, not in socket.data: that travels between instances and must stay plain data.
          this.expiries.set(socket.id, expiry);
          Object.assign(socket.data, { staff: session.member, token, tokenHash: session.tokenHash } satisfies StaffData);
          next();
        })
        .catch(() => next(new Error('unauthorized')));
    });
    this.events.on('flag:new', (f) => this.server.to(ON_CALL).emit('flag:new', f));
    this.events.on('flag:updated', (f) => this.server.to(ON_CALL).emit('flag:updated', f));
    this.events.on('conversation:turn', (t) => this.server.to(ON_CALL).emit('conversation:turn', t));
    this.events.on('conversation:alert', (a) => this.server.to(joinedRoom(a.conversationId)).emit('conversation:alert', a));
    this.staff.onSessionsEnded((ended) => void this.disconnectEnded(ended).catch(() => undefined));
    this.sweeper = setInterval(() => void this.sweepSessions(), SESSION_SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  handleConnection(socket: StaffSocket): void {
    void socket.join(ON_CALL);
    this.events.onCallConsoles++;
  }

  handleDisconnect(socket: StaffSocket): void {
    clearTimeout(this.expiries.get(socket.id));
    this.expiries.delete(socket.id);
    if (!socket.data.staff) return;
    this.events.onCallConsoles = Math.max(0, this.events.onCallConsoles - 1);
    void this.handoff
      .leaveAll(socket.id)
      .catch((err: Error) => this.logger.error(`leaving on disconnect failed: ${err.message}`));
  }

  @SubscribeMessage('flags:list')
  async list(@ConnectedSocket() socket: StaffSocket, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      await this.audit.record({ staffId, action: 'flag.list' });
      // With the escalation delay, so a console can say when an unacknowledged flag will escalate.
      return { flags: await this.escalation.unresolved(), escalationMinutes: this.config.get('ESCALATION_MINUTES') };
    });
  }

  /** Who is who: every account's id and email, so a console can name who acknowledged, joined, resolved. */
  @SubscribeMessage('staff:directory')
  async directory(@ConnectedSocket() socket: StaffSocket, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async () => ({ staff: await this.staff.directory() }));
  }

  /** A flag with its transcript (the transcript travels only on request). */
  @SubscribeMessage('flag:view')
  async view(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { id: flagId } = parse(id, body);
      const flag = await this.escalation.view(flagId);
      await this.record({ staffId, action: 'flag.view', flagId, conversationId: flag.conversationId });
      const activity = await this.audit.trail(flag);
      const transcript: TurnView[] = (await this.conversations.transcript(flag.conversationId)).map((t) => ({
        seq: t.seq,
        role: t.role,
        text: t.text,
        at: t.at,
        ...(t.staffId ? { staffId: t.staffId } : {}),
      }));
      return { flag, transcript, activity };
    });
  }

  @SubscribeMessage('flag:acknowledge')
  async acknowledge(
    @ConnectedSocket() socket: StaffSocket,
    @MessageBody() body: unknown,
    @Ack() ack: Acknowledge,
  ): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { id: flagId } = parse(id, body);
      const flag = await this.escalation.acknowledge(flagId, staffId);
      await this.record({ staffId, action: 'flag.acknowledge', flagId, conversationId: flag.conversationId });
      return { flag };
    });
  }

  @SubscribeMessage('flag:resolve')
  async resolve(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { id: flagId, note } = parse(resolveSchema, body);
      const flag = await this.escalation.resolve(flagId, staffId, note);
      await this.record({ staffId, action: 'flag.resolve', flagId, conversationId: flag.conversationId, detail: { note } });
      return { flag };
    });
  }

  @SubscribeMessage('conversation:join')
  async join(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { conversationId } = parse(conversation, body);
      await this.handoff.join(conversationId, socket.id, staffId);
      void socket.join(joinedRoom(conversationId));
      await this.record({ staffId, action: 'conversation.join', conversationId });
      return { ok: true };
    });
  }

  @SubscribeMessage('conversation:message')
  async message(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { conversationId, text } = parse(messageSchema, body);
      await this.handoff.say(conversationId, socket.id, staffId, text);
      await this.record({ staffId, action: 'conversation.message', conversationId });
      return { ok: true };
    });
  }

  @SubscribeMessage('conversation:leave')
  async leave(@ConnectedSocket() socket: StaffSocket, @MessageBody() body: unknown, @Ack() ack: Acknowledge): Promise<void> {
    await this.run(socket, ack, async (staffId) => {
      const { conversationId } = parse(conversation, body);
      await this.handoff.leave(conversationId, socket.id);
      void socket.leave(joinedRoom(conversationId));
      await this.record({ staffId, action: 'conversation.leave', conversationId });
      return { ok: true };
    });
  }

  /** Audits an action on a flag or its conversation, and shows it to every console. */
  private async record(entry: {
    staffId: string;
    action: AuditAction;
    flagId?: string;
    conversationId: string;
    detail?: object;
  }): Promise<void> {
    const activity: FlagActivity = await this.audit.record(entry);
    if (inTrail(activity)) this.server.to(ON_CALL).emit('flag:activity', activity);
  }

  /** Checks the session again, runs, acknowledges; a session that ended disconnects the socket. */
  private async run(
    socket: StaffSocket,
    ack: Acknowledge | undefined,
    work: (staffId: string) => Promise<unknown>,
  ): Promise<void> {
    if (typeof ack !== 'function') return;
    const session = await this.staff.session(socket.data.token).catch(() => null);
    if (!session || !isOnCall(session.member)) {
      ack({ error: { code: 'unauthorized', message: 'Your session has ended. Sign in again.' } });
      socket.disconnect(true);
      return;
    }
    try {
      ack(await work(session.member.id));
    } catch (err) {
      if (err instanceof z.ZodError)
        return ack({ error: { code: 'invalid_request', message: err.issues.map((i) => i.message).join('; ') } });
      if (err instanceof NotJoined) return ack({ error: { code: 'invalid_request', message: err.message } });
      if (err instanceof NotFound || (err as { status?: number }).status === 404)
        return ack({ error: { code: 'not_found', message: (err as Error).message } });
      this.logger.error(`staff request failed: ${(err as Error).stack ?? err}`);
      ack({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
    }
  }

  private async disconnectEnded(ended: SessionsEnded): Promise<void> {
    for (const socket of (await this.server.fetchSockets()) as unknown as StaffSocket[]) {
      const data = socket.data;
      if (!data?.staff) continue;
      if ('tokenHash' in ended ? data.tokenHash === ended.tokenHash : data.staff.id === ended.staffId) socket.disconnect(true);
    }
  }

  /** Sessions can also end elsewhere (the `staff` command line, another instance): check every open one. */
  private async sweepSessions(): Promise<void> {
    // Each instance sweeps its own consoles.
    for (const socket of (await this.server.local.fetchSockets()) as unknown as StaffSocket[]) {
      if (!socket.data?.token) continue;
      const session = await this.staff.session(socket.data.token).catch(() => null);
      if (!session || !isOnCall(session.member)) socket.disconnect(true);
    }
  }
}

function isOnCall(member: StaffMember): boolean {
  return member.role === 'oncall' || member.role === 'admin';
}
