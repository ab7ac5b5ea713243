import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import type { Socket } from 'socket.io';
import { Cluster, LocalCluster } from '../cluster/cluster.js';
import { AppConfig } from '../config/app-config.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { LiveEvents } from '../events/live-events.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { Lifecycle } from '../lifecycle/lifecycle.js';
import { Metrics } from '../metrics/metrics.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService, type Admit, type ChatInput } from './chat.service.js';
import { FeedbackRepository } from './feedback.repository.js';
import { MessageRateLimits } from './rate-limits.js';

const RESOURCES = [{ id: '988', label: 'Call 988', href: 'tel:988', description: 'any time' }];

/** A stand-in pipeline: records what it was asked, honours the rate limit, answers "answer". */
class FakeChat {
  readonly asked: ChatInput[] = [];
  async respond(input: ChatInput, admit?: Admit) {
    if (admit && !(await admit(true)))
      return { refused: 'rate_limited', resources: input.text.includes('sad') ? RESOURCES : null };
    this.asked.push(input);
    return { reply: { conversationId: 'c1', type: 'answer' }, trace: {} };
  }
  async respondToInvalid(input: ChatInput) {
    if (input.text.startsWith('help')) return { reply: { reply: { conversationId: 'c1', type: 'crisis' } }, resources: null };
    return { reply: null, resources: input.text.includes('sad') ? RESOURCES : null };
  }
  async answered(conversationId: string, token: string | undefined, entryId: string) {
    return conversationId === 'c1' && token === 'secret' && entryId === 'side-effects';
  }
  async feedbackGiven() {}
}

describe('ChatGateway (handlers called directly)', () => {
  let gateway: ChatGateway;
  let chat: FakeChat;
  const emit = jest.fn();
  const socket = {
    id: 's1',
    emit,
    join: jest.fn(),
    leave: jest.fn(),
    handshake: { headers: {}, address: '127.0.0.1' },
    request: { headers: {}, socket: { remoteAddress: '127.0.0.1' }, connection: { remoteAddress: '127.0.0.1' } },
  } as unknown as Socket;

  const feedback = { votes: [] as unknown[], record: async (...args: unknown[]) => void feedback.votes.push(args) };

  beforeEach(async () => {
    chat = new FakeChat();
    feedback.votes = [];
    const config = {
      get: (key: string) =>
        ({ RATE_LIMIT_MESSAGES: 4, RATE_LIMIT_WINDOW_SECONDS: 60, NEW_CONVERSATIONS_PER_HOUR: 100, TRUST_PROXY: false })[key],
    };
    const module = await Test.createTestingModule({
      providers: [
        ChatGateway,
        MessageRateLimits,
        { provide: ChatService, useValue: chat },
        { provide: AppConfig, useValue: config },
        { provide: FeedbackRepository, useValue: feedback },
        { provide: EscalationService, useValue: {} },
        {
          provide: KnowledgeService,
          useValue: { entry: (_l: string, id: string) => (id === 'side-effects' ? { id } : undefined) },
        },
        { provide: LiveEvents, useValue: new LiveEvents() },
        // The gateway's interceptor (in flight, latency, log context) is not used by handlers called directly.
        { provide: Lifecycle, useValue: {} },
        { provide: Metrics, useValue: {} },
        { provide: PinoLogger, useValue: {} },
        { provide: Cluster, useValue: new LocalCluster() },
      ],
    }).compile();
    gateway = module.get(ChatGateway);
    emit.mockReset();
  });

  const send = async (payload: unknown) => {
    const ack = jest.fn();
    await gateway.onMessage(socket, payload, ack);
    expect(ack).toHaveBeenCalledTimes(1);
    return ack.mock.calls[0][0];
  };

  it('passes a valid, trimmed message to the pipeline with the client address, and acknowledges its reply', async () => {
    expect(await send({ text: '  What is KAP?  ', locale: 'es' })).toEqual({ conversationId: 'c1', type: 'answer' });
    expect(chat.asked).toEqual([{ text: 'What is KAP?', locale: 'es', clientAddress: '127.0.0.1' }]);
  });

  it('rejects invalid payloads with a code, without asking the pipeline', async () => {
    for (const payload of [{ text: 5 }, 'hello', null]) {
      expect(await send(payload)).toEqual({ error: { code: 'invalid_message', message: expect.any(String) } });
    }
    expect(chat.asked).toEqual([]);
  });

  it('answers a crisis even in an invalid payload, and gives the resources with the error when the text shows distress', async () => {
    expect(await send({ text: `help ${'x'.repeat(2000)}` })).toEqual({ conversationId: 'c1', type: 'crisis' });
    expect(await send({ text: `so sad ${'x'.repeat(2000)}` })).toEqual({
      error: { code: 'invalid_message', message: expect.any(String) },
      resources: RESOURCES,
    });
  });

  it('emits an error event when there is no callback', async () => {
    await gateway.onMessage(socket, { text: 'What is KAP?' });
    expect(emit).toHaveBeenCalledWith('error', { error: { code: 'invalid_message', message: expect.any(String) } });
  });

  it('rate-limits per connection, counting invalid payloads too, and keeps the resources on a refused message in distress', async () => {
    await send({ text: 'one' });
    await send({ text: '' });
    await send({ text: 'three' });
    await send({ text: 'four' });
    expect(await send({ text: 'five' })).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(await send({ text: 'I feel so sad' })).toEqual({
      error: { code: 'rate_limited', message: expect.any(String) },
      resources: RESOURCES,
    });
  });

  it('stores a vote only for an answer the conversation was given, with its token', async () => {
    const vote = async (payload: unknown) => {
      const ack = jest.fn();
      await gateway.onFeedback(socket, payload, ack);
      return ack.mock.calls[0][0];
    };
    expect(await vote({ conversationId: 'c1', resumeToken: 'secret', entryId: 'side-effects', helpful: true })).toEqual({
      ok: true,
    });
    expect(feedback.votes).toEqual([['c1', 'side-effects', true]]);
    for (const bad of [
      { conversationId: 'c1', resumeToken: 'wrong', entryId: 'side-effects', helpful: true },
      { conversationId: 'c1', resumeToken: 'secret', entryId: 'no-such-entry', helpful: true },
      { conversationId: 'c1', resumeToken: 'secret', helpful: 'yes' },
    ]) {
      expect(await vote(bad)).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    }
    expect(feedback.votes).toHaveLength(1);
  });
});
