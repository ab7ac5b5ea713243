import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Socket } from 'socket.io-client';
import { EscalationService } from '../src/escalation/escalation.service.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { addStaff, connectConsole, until } from './support/staff.js';
import { freePort, next, WebhookReceiver } from './support/webhook.js';

/**
 * Hardening item 1: a visitor in crisis gets the crisis reply whatever happens to the store. The store is
 * broken for real (its tables renamed away under the running app, as a damaged or full store would fail
 * writes); the flag is shown to consoles and paged from memory, kept in the local journal across a
 * restart during the outage, and replayed into the store when it works again, paged once.
 */
describe('a crisis while the store is failing (real app, real SQLite)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kap-outage-'));
  const TABLES = ['flags', 'outbox', 'conversations', 'transcript_turns'];
  let pager: WebhookReceiver;
  let running: RunningApp;
  const sockets: Socket[] = [];

  const boot = async () => {
    running = await startApp({
      DATA_DIR: dataDir,
      PAGING_WEBHOOK_URL: pager.url,
      PAGING_WEBHOOK_SECRET: 'a-test-secret-of-16+chars',
      OUTBOX_POLL_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '100',
    });
  };
  /** Another connection to the same database file renames the tables away (or back). */
  const alterStore = (from: (t: string) => string, to: (t: string) => string) => {
    const db = new Sqlite(path.join(dataDir, 'kap.sqlite'));
    try {
      for (const t of TABLES) db.exec(`ALTER TABLE ${from(t)} RENAME TO ${to(t)}`);
    } finally {
      db.close();
    }
  };
  const breakStore = () =>
    alterStore(
      (t) => t,
      (t) => `${t}_away`,
    );
  const repairStore = () =>
    alterStore(
      (t) => `${t}_away`,
      (t) => t,
    );
  const health = async () => (await fetch(`${running.url}/health`)).json();

  beforeAll(async () => {
    pager = new WebhookReceiver(await freePort());
    await pager.start();
    await boot();
    await addStaff(running, 'oncall@example.org', 'oncall');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await running.close();
    await pager.stop();
  });

  it('answers with the crisis reply, shows and pages the flag from memory, and loses nothing across a restart', async () => {
    const consoleSocket = await connectConsole(running.url, 'oncall@example.org');
    sockets.push(consoleSocket);
    const visitor = await connectVisitor(running.url);
    sockets.push(visitor);
    const first = await ask(visitor, { text: 'How long does a Spravato session take?' });
    expect(first.type).toBe('answer');

    breakStore();
    const flagged = next(consoleSocket, 'flag:new');
    const crisis = await ask(visitor, {
      text: 'I have the pills in my hand right now',
      conversationId: first.conversationId,
      resumeToken: first.resumeToken,
    });
    expect(crisis).toMatchObject({ type: 'crisis', crisisKind: 'imminent' });
    expect(crisis.resources.map((r: { href: string }) => r.href)).toEqual(expect.arrayContaining(['tel:911', 'tel:988']));

    const flag = await flagged;
    expect(flag).toMatchObject({ conversationId: first.conversationId, kind: 'imminent', stored: false });
    const page = await pager.waitFor((h) => JSON.parse(h.body).flagIds.includes(flag.id));
    expect(JSON.parse(page.body).kind).toBe('imminent');
    expect(await health()).toMatchObject({ status: 'degraded', store: { ok: false, journalPending: expect.any(Number) } });

    // A restart in the middle of the outage: the journal brings the flag back to the queue.
    visitor.close();
    consoleSocket.close();
    await running.close();
    await boot();
    const again = await connectConsole(running.url, 'oncall@example.org').catch(() => null);
    // Signing in needs the store (staff accounts live there): the queue is read through the service here.
    again?.close();
    const queued = await running.app.get(EscalationService).unresolved();
    expect(queued.map((f) => f.id)).toContain(flag.id);

    // The store works again: the journal is replayed, the flag is stored, and it was paged once.
    repairStore();
    await until(async () => (await health()).store.journalPending === 0, 10_000, 'journal replayed');
    const stored = await running.app.get(EscalationService).view(flag.id);
    expect(stored).toMatchObject({ id: flag.id, stored: true, kind: 'imminent', paging: 'delivered' });
    expect(await health()).toMatchObject({ store: { ok: true, journalPending: 0 } });
    const staffSocket = await connectConsole(running.url, 'oncall@example.org');
    sockets.push(staffSocket);
    const { transcript } = await staffSocket.emitWithAck('flag:view', { id: flag.id });
    expect(transcript.map((t: { role: string }) => t.role)).toEqual(['visitor', 'bot', 'visitor', 'bot']);
    expect(pager.received.filter((h) => JSON.parse(h.body).flagIds.includes(flag.id))).toHaveLength(1);
  }, 60_000);
});
