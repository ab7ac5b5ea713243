import { rmSync } from 'node:fs';
import { ask, access, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { smallKnowledge, staffApi } from './support/corpus.js';
import { addStaff, signIn, until } from './support/staff.js';

const IDS = ['what-is-kap', 'side-effects', 'driving-after', 'insurance-cost', 'typical-costs', 'suicidal-thoughts-and-ketamine'];

/**
 * The content triage queue with TRIAGE_STORE_TEXT on, and publishing by a second editor
 * (PUBLISH_BY=second-editor), on the real app and store.
 */
describe('content triage and analytics (TRIAGE_STORE_TEXT=true, PUBLISH_BY=second-editor)', () => {
  let running: RunningApp;
  let knowledge: string;
  let editor: ReturnType<typeof staffApi>;
  let editor2: ReturnType<typeof staffApi>;
  let admin: ReturnType<typeof staffApi>;

  beforeAll(async () => {
    knowledge = smallKnowledge(IDS);
    running = await startApp({ KNOWLEDGE_DIR: knowledge, TRIAGE_STORE_TEXT: 'true', PUBLISH_BY: 'second-editor' });
    const sign = async (email: string, role: 'admin' | 'editor') => {
      await addStaff(running, email, role);
      return staffApi(running.url, (await signIn(running.url, email)).body.token);
    };
    editor = await sign('editor@example.org', 'editor');
    editor2 = await sign('editor2@example.org', 'editor');
    admin = await sign('admin@example.org', 'admin');
  }, 30_000);
  afterAll(async () => {
    await running.close();
    rmSync(knowledge, { recursive: true, force: true });
  });

  const say = async (...texts: string[]) => {
    const socket = await connectVisitor(running.url);
    try {
      const replies = [];
      let conversation = {};
      for (const text of texts) {
        const reply = await ask(socket, { text, ...conversation });
        conversation = access(reply);
        replies.push(reply);
      }
      return { socket, replies };
    } finally {
      socket.close();
    }
  };

  it('groups unanswered questions, keeps them redacted, and never keeps what was not screened none', async () => {
    const fallbacks = [
      'can I bring my dog to a session? 555-201-3344',
      'can my dog come to a session',
      'is there parking near the building',
    ];
    for (const text of fallbacks) expect((await say(text)).replies[0].type).toBe('fallback');
    // Not kept: a crisis, distress, and anything later in a flagged conversation.
    expect((await say('I want to kill myself')).replies[0].type).toBe('crisis');
    await say('I feel so hopeless, can my cat come along');
    await say('I want to end my life', 'can my hamster come to the clinic');

    const triage = await until(async () => {
      const res = await editor.get('/triage');
      return res.body.unanswered.groups.length >= 2 ? res.body : null;
    });
    expect(triage.textKept).toBe(true);
    const [dogs, parking] = triage.unanswered.groups;
    expect(dogs.count).toBe(2);
    expect(dogs.items.map((i: { text: string }) => i.text).sort()).toEqual(
      ['can I bring my dog to a session? [phone]', 'can my dog come to a session'].sort(),
    );
    expect(dogs.reasons).toEqual(expect.any(Object));
    expect(dogs.closest.length).toBeGreaterThan(0);
    expect(dogs.closest[0]).toEqual({ id: expect.any(String), question: expect.any(String), score: expect.any(Number) });
    expect(parking).toMatchObject({ count: 1, text: 'is there parking near the building' });
    expect(triage.unanswered.counts['below-threshold'] ?? 0).toBeGreaterThanOrEqual(1);
    const all = JSON.stringify(triage);
    for (const never of ['kill myself', 'hopeless', 'hamster', 'end my life', '555-201']) expect(all).not.toContain(never);
    expect(all).not.toMatch(/conversationId|resumeToken/);
  });

  it('lists answers marked unhelpful with the question that got them', async () => {
    const socket = await connectVisitor(running.url);
    try {
      const reply = await ask(socket, { text: 'Which side effects are common with ketamine or Spravato?' });
      expect(reply.entryId).toBe('side-effects');
      const vote = await socket
        .timeout(15000)
        .emitWithAck('feedback', { ...access(reply), entryId: 'side-effects', helpful: false });
      expect(vote).toEqual({ ok: true });
    } finally {
      socket.close();
    }
    const triage = await until(async () => {
      const body = (await editor.get('/triage')).body;
      return body.unhelpful.find((u: { id: string; items: unknown[] }) => u.id === 'side-effects' && u.items.length) ?? null;
    });
    expect(triage).toMatchObject({ id: 'side-effects', unhelpful: 1, helpful: 0 });
    expect(triage.items[0].text).toBe('Which side effects are common with ketamine or Spravato?');
  });

  it('adds a question as an alternate of an entry, as a draft that a second editor publishes', async () => {
    const { unanswered } = (await editor.get('/triage')).body;
    const parking = unanswered.groups.find((g: { text: string }) => g.text.includes('parking'));
    const added = await editor.post('/triage/add-alternate', {
      items: parking.items.map((i: { id: number }) => i.id),
      entryId: 'driving-after',
      text: 'where do I park for my session',
    });
    expect(added.status).toBe(200);
    const detail = (await editor.get('/entries/driving-after')).body;
    expect(detail).toMatchObject({ status: 'draft', revision: added.body.revision });
    expect(detail.entry.alternates).toContain('where do I park for my session');
    expect((await editor.get('/triage')).body.unanswered.groups.some((g: { text: string }) => g.text.includes('parking'))).toBe(
      false,
    );

    // The editor who wrote the draft cannot publish it; another editor can.
    const own = await editor.post('/entries/driving-after/publish', { revision: added.body.revision, confirm: true });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/second editor/);
    const other = await editor2.post('/entries/driving-after/publish', { revision: added.body.revision, confirm: true });
    expect(other.status).toBe(200);
    expect((await say('where do I park for my session')).replies[0].entryId).toBe('driving-after');
  });

  it('starts a new entry from grouped questions and resolves them when the draft is saved', async () => {
    const dogs = (await editor.get('/triage')).body.unanswered.groups.find((g: { text: string }) => g.text.includes('dog'));
    const ids = dogs.items.map((i: { id: number }) => i.id);
    const started = await editor.post('/triage/new-entry', { items: ids });
    expect(started.status).toBe(200);
    const { entry, suggestedId, triageItems } = started.body;
    expect(triageItems).toEqual(ids);
    expect(entry.question.toLowerCase()).toContain('dog');
    expect(entry.alternates).toHaveLength(1);
    const complete = {
      ...entry,
      question: 'Can I bring my dog to a session?',
      alternates: ['can my dog come to a session'],
      evidence: 'expert-opinion',
      sources: [{ title: 'Service animals', publisher: 'ADA National Network', url: 'https://adata.org/faq/service-animals' }],
      body: 'Only service animals can come into the treatment room. Ask the clinic about other pets before your visit.',
    };
    const saved = await editor.put(`/entries/${suggestedId}/draft`, { entry: complete, baseRevision: null, triageItems: ids });
    expect(saved.status).toBe(200);
    expect((await editor.get(`/entries/${suggestedId}`)).body).toMatchObject({ status: 'new', liveRevision: null });
    expect((await editor.get('/triage')).body.unanswered.groups).toEqual([]);
    const published = await admin.post(`/entries/${suggestedId}/publish`, { revision: saved.body.revision, confirm: true });
    expect(published.status).toBe(200);
    expect((await say('Can I bring my dog to a session?')).replies[0].entryId).toBe(suggestedId);
  });

  it('counts risk levels per day and reports crisis referrals per year without identifiers', async () => {
    const summary = (await editor.get('/analytics?days=7')).body;
    const day = summary.riskByDay.at(-1);
    expect(day.crisis).toBeGreaterThanOrEqual(2);
    expect(day.concern).toBeGreaterThanOrEqual(1);
    expect(summary.topEntries[0]).toEqual({ entryId: expect.any(String), count: expect.any(Number) });

    const year = new Date().getUTCFullYear();
    const report = (await admin.get(`/reports/crisis-referrals?year=${year}`)).body;
    expect(report.year).toBe(year);
    expect(report.crisisReferrals.total).toBeGreaterThanOrEqual(2);
    expect(report.flagsRaised.total).toBe(2);
    expect(report.crisisReferrals.byMonth).toHaveLength(12);
    expect(JSON.stringify(report)).not.toMatch(/kill|end my life|dog|[0-9a-f]{8}-[0-9a-f]{4}-/i);
  });
});
