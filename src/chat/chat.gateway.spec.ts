import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { Socket } from 'socket.io';
import { AppConfig } from '../config/app-config.js';
import { ChatGateway } from './chat.gateway.js';
import { EscalationService } from '../escalation/escalation.service.js';
import { FlagEvents } from '../escalation/flag-events.js';
import { ChatService, type ChatInput } from './chat.service.js';
import { FeedbackRepository } from './feedback.repository.js';
import { HandoffService } from './handoff.service.js';
import { MessageRateLimits } from './rate-limits.js';

/** A stand-in pipeline: records what it was asked, honours the rate limit, answers "answer". */
class FakeChat {
  readonly asked: ChatInput[] = [];
  async respond(input: ChatInput, admit?: (starts: boolean) => Promise<boolean>) {
    if (admit && !(await admit(true))) return { rateLimited: true };
    this.asked.push(input);
    return { reply: { conversationId: 'c1', type: 'answer' }, trace: {} };
  }
  async respondIfCrisis(input: ChatInput) {
    return input.text.startsWith('help') ? { conversationId: 'c1', type: 'crisis' } : null;
  }
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
  } as unknown as Socket;

  const feedback = { votes: [] as unknown[], record: async (...args: unknown[]) => void feedback.votes.push(args) };

  beforeEach(async () => {
    chat = new FakeChat();
    feedback.votes = [];
    const config = {
      get: (key: string) =>
        ({ RATE_LIMIT_MESSAGES: 2, RATE_LIMIT_WINDOW_SECONDS: 60, NEW_CONVERSATIONS_PER_HOUR: 100, TRUST_PROXY: false })[key],
    };
    const module = await Test.createTestingModule({
      providers: [
        ChatGateway,
        MessageRateLimits,
        { provide: ChatService, useValue: chat },
        { provide: AppConfig, useValue: config },
        { provide: FeedbackRepository, useValue: feedback },
        { provide: EscalationService, useValue: {} },
        { provide: HandoffService, useValue: {} },
        { provide: FlagEvents, useValue: new FlagEvents() },
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

  it('passes a valid, trimmed message to the pipeline and acknowledges its reply', async () => {
    expect(await send({ text: '  What is KAP?  ', locale: 'es' })).toEqual({ conversationId: 'c1', type: 'answer' });
    expect(chat.asked).toEqual([{ text: 'What is KAP?', locale: 'es' }]);
  });

  it('rejects invalid payloads with a code, without asking the pipeline', async () => {
    for (const payload of [{ text: 5 }, 'hello', null, { text: '' }, { text: 'x'.repeat(1001) }]) {
      expect(await send(payload)).toEqual({ error: { code: 'invalid_message', message: expect.any(String) } });
    }
    expect(chat.asked).toEqual([]);
  });

  it('answers a crisis even in an invalid payload', async () => {
    expect(await send({ text: `help ${'x'.repeat(2000)}` })).toEqual({ conversationId: 'c1', type: 'crisis' });
  });

  it('emits an error event when there is no callback', async () => {
    await gateway.onMessage(socket, { text: 'What is KAP?' });
    expect(emit).toHaveBeenCalledWith('error', { error: { code: 'invalid_message', message: expect.any(String) } });
  });

  it('rate-limits per connection', async () => {
    await send({ text: 'one' });
    await send({ text: 'two' });
    expect(await send({ text: 'three' })).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  });

  it('stores a helpful vote, and rejects a malformed one with invalid_request', async () => {
    const ack = jest.fn();
    await gateway.onFeedback({ conversationId: 'c1', entryId: 'side-effects', helpful: true }, ack);
    expect(ack).toHaveBeenCalledWith({ ok: true });
    expect(feedback.votes).toEqual([['c1', 'side-effects', true]]);
    const bad = jest.fn();
    await gateway.onFeedback({ conversationId: 'c1', helpful: 'yes' }, bad);
    expect(bad).toHaveBeenCalledWith({ error: { code: 'invalid_request', message: expect.any(String) } });
  });
});
