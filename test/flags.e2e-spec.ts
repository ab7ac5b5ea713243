import type { Socket } from 'socket.io-client';
import { FlagsRepository } from '../src/escalation/flags.repository.js';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { access, ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { addStaff, connectConsole, until } from './support/staff.js';
import { next } from './support/webhook.js';

/**
 * Hardening items 6, 7, 12 and 13: one open flag per conversation (enforced by the database); with a
 * care-team member present the bot stays quiet and the person is alerted; presence is per console and
 * cleaned on disconnect; flag updates carry no transcript.
 */
describe('flags and the care team in a conversation (real app)', () => {
  let running: RunningApp;
  const sockets: Socket[] = [];
  const track = <T extends Socket>(s: T) => (sockets.push(s), s);

  beforeAll(async () => {
    running = await startApp({});
    await addStaff(running, 'oncall@example.org', 'oncall');
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => running.close());

  const flagsOf = async (conversationId: string) =>
    (await running.app.get(EscalationService).unresolved()).filter((f) => f.conversationId === conversationId);

  it('keeps one open flag per conversation, even for crisis messages sent at the same moment', async () => {
    const socket = track(await connectVisitor(running.url));
    const first = await ask(socket, { text: 'What is KAP?' });
    const replies = await Promise.all(
      ['I want to die', 'I have pills saved up to take tonight', 'I am going to end it'].map((text) =>
        ask(socket, { text, ...access(first) }),
      ),
    );
    expect(replies.map((r) => r.type)).toEqual(['crisis', 'crisis', 'crisis']);
    const flags = await flagsOf(first.conversationId);
    expect(flags).toHaveLength(1);
    expect(flags[0].kind).toBe('imminent');
    // The database itself refuses a second open flag for the conversation, whoever tries.
    const repo = running.app.get(FlagsRepository);
    const row = (await repo.get(flags[0].id))!;
    expect(await repo.insertIfNone(repo.db, { ...row, id: 'another-flag' })).toBe(false);
    expect(await flagsOf(first.conversationId)).toHaveLength(1);
  });

  it('answers a crisis in the language the visitor writes, and shows staff that language on the flag', async () => {
    const socket = track(await connectVisitor(running.url));
    // Spanish typed into the English widget.
    const reply = await ask(socket, { text: 'Ya no quiero vivir, quiero morirme', locale: 'en' });
    expect(reply.type).toBe('crisis');
    expect(reply.locale).toBe('es');
    expect(reply.resources.map((r: { label: string }) => r.label).join(' ')).toMatch(/AYUDA/);
    const flags = await flagsOf(reply.conversationId);
    expect(flags.map((f) => f.locale)).toEqual(['es']);
  });

  it('with a care-team member present, relays a crisis message quietly with the resources, and alerts that person', async () => {
    const consoleSocket = track(await connectConsole(running.url, 'oncall@example.org'));
    const visitor = track(await connectVisitor(running.url));
    const flagged = next(consoleSocket, 'flag:new');
    const crisis = await ask(visitor, { text: 'I have been thinking about suicide' });
    const flag = await flagged;
    expect(await consoleSocket.emitWithAck('conversation:join', { conversationId: flag.conversationId })).toEqual({ ok: true });

    const alert = next(consoleSocket, 'conversation:alert');
    const updated = next(consoleSocket, 'flag:updated');
    const reply = await ask(visitor, { text: 'I have a plan to kill myself tonight', ...access(crisis) });
    // No crisis panel, no "has been alerted", no contact form on top of the person: the standing
    // resources only, 911 first because the danger is now immediate.
    expect(reply).toMatchObject({ type: 'relayed', html: '', staffPresent: true, flagged: true, contactInvited: false });
    expect(reply.resources[0].href).toBe('tel:911');
    expect(await alert).toMatchObject({ conversationId: crisis.conversationId, flagId: flag.id, kind: 'imminent' });
    // The queue hears of the higher level too, without the transcript (it travels only on request).
    const update = await updated;
    expect(update).toMatchObject({ id: flag.id, kind: 'imminent' });
    expect(update.transcript).toBeUndefined();
  });

  it('counts a console once however often it joins, and lets the bot answer again when that console disconnects', async () => {
    const consoleSocket = track(await connectConsole(running.url, 'oncall@example.org'));
    const visitor = track(await connectVisitor(running.url));
    const flagged = next(consoleSocket, 'flag:new');
    const crisis = await ask(visitor, { text: 'I want to kill myself' });
    const { conversationId } = await flagged;
    const joined = next(visitor, 'staff:joined');
    await consoleSocket.emitWithAck('conversation:join', { conversationId });
    await consoleSocket.emitWithAck('conversation:join', { conversationId });
    await joined;
    expect((await ask(visitor, { text: 'ok', ...access(crisis) })).type).toBe('relayed');

    const left = next(visitor, 'staff:left');
    consoleSocket.close();
    await left;
    const resumed = await visitor.timeout(15000).emitWithAck('resume', access(crisis));
    expect(resumed.staffPresent).toBe(false);
    const reply = await ask(visitor, { text: 'How long does a Spravato session take?', ...access(crisis) });
    expect(reply).toMatchObject({ type: 'answer', staffPresent: false, flagged: true });
    // One "joined" and one "left" notice: two joins from one console are one presence.
    const notices = resumed.turns.filter((t: { role: string }) => t.role === 'notice');
    expect(notices).toHaveLength(2);
  });

  it('sends flag updates without the transcript however long the conversation, and the transcript on request', async () => {
    const consoleSocket = track(await connectConsole(running.url, 'oncall@example.org'));
    const visitor = track(await connectVisitor(running.url));
    const crisis = await ask(visitor, { text: 'I want to die' });
    const sizes: number[] = [];
    consoleSocket.on('flag:updated', (f) => sizes.push(JSON.stringify(f).length));
    for (let i = 0; i < 8; i++)
      await ask(visitor, { text: `I want to die, I mean it ${'really '.repeat(100)}`, ...access(crisis) });
    await until(() => sizes.length >= 8, 5000, 'eight updates');
    expect(Math.max(...sizes)).toBeLessThan(2000);
    const [flag] = await flagsOf(crisis.conversationId);
    const view = await consoleSocket.emitWithAck('flag:view', { id: flag.id });
    expect(view.transcript.filter((t: { role: string }) => t.role === 'visitor')).toHaveLength(9);
  });
});
