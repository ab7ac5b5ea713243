import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { KnowledgeService } from '../src/knowledge/knowledge.service.js';
import { MatchingService } from '../src/matching/matching.service.js';
import { loadCorpus } from '../src/knowledge/corpus-loader.js';
import { projectRoot } from '../src/paths.js';
import { StorageService } from '../src/storage/storage.service.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { smallKnowledge, staffApi } from './support/corpus.js';
import { addStaff, signIn } from './support/staff.js';

const run = promisify(execFile);
const IDS = [
  'what-is-kap',
  'side-effects',
  'driving-after',
  'drug-tests',
  'insurance-cost',
  'typical-costs',
  'adolescents',
  'bipolar-depression',
  'suicidal-thoughts-and-ketamine',
  'other-conditions',
];
const today = new Date().toISOString().slice(0, 10);
const QUESTION_OTHER = 'Is ketamine used for PTSD, anxiety, addiction or other conditions besides depression?';

/**
 * Corpus editing through the HTTP API on the real app and store (a small copy of the shipped corpus as
 * its baseline, so that every publish's regression check stays quick).
 */
describe('corpus editing API (real app, real store)', () => {
  let running: RunningApp;
  let knowledge: string;
  let dataDir: string;
  let env: Record<string, string>;
  let admin: ReturnType<typeof staffApi>;
  let editor: ReturnType<typeof staffApi>;
  let editor2: ReturnType<typeof staffApi>;
  let oncall: ReturnType<typeof staffApi>;

  beforeAll(async () => {
    knowledge = smallKnowledge(IDS);
    dataDir = mkdtempSync(path.join(tmpdir(), 'kap-editing-'));
    // Visitors' limits raised: one test sends a burst while a publish runs.
    env = { KNOWLEDGE_DIR: knowledge, DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: '1000', NEW_CONVERSATIONS_PER_HOUR: '1000' };
    running = await startApp(env);
    const sign = async (email: string, role: 'admin' | 'editor' | 'oncall') => {
      await addStaff(running, email, role);
      return staffApi(running.url, (await signIn(running.url, email)).body.token);
    };
    admin = await sign('admin@example.org', 'admin');
    editor = await sign('editor@example.org', 'editor');
    editor2 = await sign('editor2@example.org', 'editor');
    oncall = await sign('oncall@example.org', 'oncall');
  }, 30_000);
  afterAll(async () => {
    await running.close();
    rmSync(knowledge, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const answer = async (text: string) => {
    const socket = await connectVisitor(running.url);
    try {
      return await ask(socket, { text });
    } finally {
      socket.close();
    }
  };
  const latest = async (id: string) =>
    (await editor.get(`/entries/${id}`)).body as { entry: Record<string, any>; revision: number };

  it('lists the entries imported from the baseline to every signed-in role, and nobody else', async () => {
    const list = await oncall.get('/entries?locale=en');
    expect(list.status).toBe(200);
    expect(list.body.entries.map((e: { id: string }) => e.id).sort()).toEqual([...IDS].sort());
    expect(new Set(list.body.entries.map((e: { status: string }) => e.status))).toEqual(new Set(['published']));

    const one = await oncall.get('/entries/what-is-kap');
    expect(one.status).toBe(200);
    expect(one.body.entry).toMatchObject({
      id: 'what-is-kap',
      locale: 'en',
      question: 'What is ketamine-assisted psychotherapy (KAP)?',
    });
    expect(one.body.entry.body).toMatch(/^Ketamine-assisted psychotherapy \(KAP\) combines/);
    expect(one.body.revision).toBe(one.body.liveRevision);

    expect((await oncall.get('/entries/no-such-entry')).status).toBe(404);
    expect((await fetch(`${running.url}/api/entries`)).status).toBe(401);
    expect((await staffApi(running.url, 'not-a-token').get('/entries')).status).toBe(401);
  });

  it('lets on-call staff edit nothing, editors not publish, and keeps triage and reports to their roles', async () => {
    const { entry, revision } = await latest('what-is-kap');
    const put = await oncall.put('/entries/what-is-kap/draft', { entry, baseRevision: revision });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe('forbidden');
    expect((await oncall.post('/entries/what-is-kap/test-questions', { text: 'what is kap therapy' })).status).toBe(403);
    expect((await oncall.get('/triage')).status).toBe(403);
    expect((await editor.get('/triage')).status).toBe(200);
    expect((await editor.get('/reports/crisis-referrals')).status).toBe(403);
    expect((await admin.get('/reports/crisis-referrals')).status).toBe(200);

    const publish = await editor.post('/entries/what-is-kap/publish', { revision });
    expect(publish.status).toBe(403);
    expect(publish.body.error.message).toMatch(/admin/);
  });

  it('protects cookie sessions: HttpOnly, SameSite=Strict, and changes only as JSON from the same origin', async () => {
    const login = await fetch(`${running.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'editor@example.org', password: 'a long test password' }),
    });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0];
    const { entry, revision } = await latest('insurance-cost');
    const body = JSON.stringify({ entry, baseRevision: revision });
    const put = (headers: Record<string, string>) =>
      fetch(`${running.url}/api/entries/insurance-cost/draft`, { method: 'PUT', headers: { cookie, ...headers }, body });

    expect((await fetch(`${running.url}/api/entries`, { headers: { cookie } })).status).toBe(200);
    const form = await put({ 'content-type': 'text/plain' });
    expect(form.status).toBe(403);
    expect((await form.json()).error.code).toBe('csrf');
    expect((await put({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    // From the console itself: accepted (nothing changed, so no new revision).
    const ok = await put({ 'content-type': 'application/json', origin: running.url });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ revision, unchanged: true });
  });

  it('refuses an invalid draft with an error for each field', async () => {
    const { entry, revision } = await latest('side-effects');
    const bad = {
      ...entry,
      evidence: 'excellent',
      sources: [{ ...entry.sources[0], url: 'http://insecure.example.com/x' }],
      body: 'Too short.',
      colour: 'blue',
    };
    const res = await editor.put('/entries/side-effects/draft', { entry: bad, baseRevision: revision });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['entry.body', 'entry.colour', 'entry.evidence', 'entry.sources[0].url'].sort(),
    );
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    // A phrasing that belongs to another entry, and a related entry that does not exist.
    const clash = await editor.put('/entries/side-effects/draft', {
      entry: { ...entry, alternates: [...entry.alternates, 'what is kap'], related: ['nowhere'] },
      baseRevision: revision,
    });
    expect(clash.status).toBe(400);
    expect(clash.body.errors).toEqual(
      expect.arrayContaining([
        { path: `entry.alternates[${entry.alternates.length}]`, message: expect.stringMatching(/what-is-kap/) },
        { path: 'entry.related[0]', message: expect.stringMatching(/nowhere/) },
      ]),
    );
    // The envelope is checked too.
    const envelope = await editor.put('/entries/side-effects/draft', { entry });
    expect(envelope.status).toBe(400);
    expect(envelope.body.errors).toEqual([{ path: 'baseRevision', message: expect.any(String) }]);
    expect((await latest('side-effects')).revision).toBe(revision);
  });

  it('saves a draft, publishes it, and the running gateway answers with it at once, without a restart', async () => {
    const question = 'When is it safe to drive or work after a ketamine treatment?';
    const marker = 'Zebrafinch reminder: arrange your ride home before the visit.';
    const { entry, revision } = await latest('driving-after');
    // Written as if last reviewed long ago: publishing sets today's date.
    const draft = { ...entry, body: `${entry.body}\n\n${marker}`, reviewed: '2026-01-01', reviewBy: '2027-01-01' };
    const saved = await editor.put('/entries/driving-after/draft', { entry: draft, baseRevision: revision, note: 'ride home' });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBeGreaterThan(revision);
    expect(saved.body.latest).toMatchObject({
      kind: 'edit',
      changes: ['body', 'reviewBy', 'reviewed'],
      author: { email: 'editor@example.org' },
      live: false,
    });
    const listed = (await editor.get('/entries')).body.entries.find((e: { id: string }) => e.id === 'driving-after');
    expect(listed).toMatchObject({ status: 'draft', draftFrom: 'staff', revision: saved.body.revision, liveRevision: revision });

    // Not live before it is published.
    const before = await answer(question);
    expect(before.entryId).toBe('driving-after');
    expect(before.html).not.toContain('Zebrafinch');

    const published = await admin.post('/entries/driving-after/publish', { revision: saved.body.revision });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ reviewed: today, reviewBy: '2027-01-01', changes: [], retired: false });
    expect(published.body.checked).toBeGreaterThan(100);

    const after = await answer(question);
    expect(after.entryId).toBe('driving-after');
    expect(after.html).toContain('Zebrafinch reminder');

    const history = await editor.get('/entries/driving-after/revisions');
    expect(history.body.revisions.map((r: { kind: string; live: boolean }) => [r.kind, r.live])).toEqual([
      ['publish', true],
      ['edit', false],
      ['baseline', false],
    ]);
    expect(history.body.revisions[0]).toMatchObject({
      author: { email: 'admin@example.org' },
      published: { by: { email: 'admin@example.org' } },
    });
    const detail = await editor.get('/entries/driving-after');
    expect(detail.body).toMatchObject({ status: 'published', entry: { reviewed: today } });
  });

  it('answers every message sent while a publish swaps the index, and keeps the old index if the new one fails', async () => {
    const question = QUESTION_OTHER;
    const { entry, revision } = await latest('other-conditions');
    const saved = await editor.put('/entries/other-conditions/draft', {
      entry: { ...entry, body: `${entry.body}\n\nQuokka note.` },
      baseRevision: revision,
    });

    // The index build fails: nothing is published, the live index keeps answering.
    const matching = running.app.get(MatchingService);
    const spy = jest.spyOn(matching, 'prepare').mockImplementationOnce(() => {
      throw new Error('out of memory while indexing');
    });
    const failed = await admin.post('/entries/other-conditions/publish', { revision: saved.body.revision });
    spy.mockRestore();
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('index_build_failed');
    expect((await editor.get('/entries/other-conditions')).body).toMatchObject({ status: 'draft', liveRevision: revision });
    expect((await answer(question)).entryId).toBe('other-conditions');

    // Visitors keep asking while it is published: every message gets the old answer or the new one.
    const socket = await connectVisitor(running.url);
    try {
      const asking = Array.from({ length: 30 }, () => ask(socket, { text: question }));
      const published = await admin.post('/entries/other-conditions/publish', { revision: saved.body.revision });
      const replies = await Promise.all([...asking, ask(socket, { text: question })]);
      expect(published.status).toBe(200);
      for (const r of replies) expect(r).toMatchObject({ type: 'answer', entryId: 'other-conditions' });
      expect(replies.at(-1)!.html).toContain('Quokka note.');
    } finally {
      socket.close();
    }
  });

  it('shows the outcomes a publish would change and publishes them only when confirmed', async () => {
    const saved = await editor.post('/entries/adolescents/test-questions', { text: 'is ketamine therapy ok for my 15 year old' });
    expect(saved.status).toBe(201);
    const { revision } = await latest('adolescents');
    const retire = await editor.post('/entries/adolescents/retire', { baseRevision: revision });
    expect(retire.status).toBe(200);

    const refused = await admin.post('/entries/adolescents/publish', { revision: retire.body.revision });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('confirmation_required');
    const changes = refused.body.changes as Array<Record<string, any>>;
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          text: 'Is ketamine or esketamine used for teenagers, and is there an age limit?',
          from: { entryId: 'adolescents', kind: 'question' },
          before: expect.objectContaining({ reply: 'answer', entryId: 'adolescents' }),
        }),
        expect.objectContaining({ from: { entryId: 'adolescents', kind: 'test-question' } }),
      ]),
    );
    for (const c of changes) expect(c.after.entryId).not.toBe('adolescents');
    // Still live: nothing was published.
    expect((await answer('ketamine for teens')).entryId).toBe('adolescents');

    const confirmed = await admin.post('/entries/adolescents/publish', { revision: retire.body.revision, confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ retired: true });
    expect(confirmed.body.changes.length).toBe(changes.length);
    expect((await answer('ketamine for teens')).entryId).not.toBe('adolescents');
    expect((await editor.get('/entries/adolescents')).body).toMatchObject({ status: 'retired', entry: null });
  });

  it('refuses the second of two edits based on the same revision as stale, never overwriting', async () => {
    const { entry, revision } = await latest('typical-costs');
    const first = editor.put('/entries/typical-costs/draft', {
      entry: { ...entry, tags: [...entry.tags, 'first-edit'] },
      baseRevision: revision,
    });
    const second = editor2.put('/entries/typical-costs/draft', {
      entry: { ...entry, tags: [...entry.tags, 'second-edit'] },
      baseRevision: revision,
    });
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body).toMatchObject({ error: { code: 'stale_revision' }, revision: winner.body.revision });
    const now = await latest('typical-costs');
    expect(now.revision).toBe(winner.body.revision);
    expect(now.entry.tags.filter((t: string) => t.endsWith('-edit'))).toHaveLength(1);
    // A stale publish is refused too.
    expect((await admin.post('/entries/typical-costs/publish', { revision })).status).toBe(409);
  });

  it('turns a changed baseline into revisions: published where nobody edited, a draft where staff did', async () => {
    const edit = (id: string, change: (text: string) => string) => {
      const file = path.join(knowledge, 'en', `${id}.md`);
      writeFileSync(file, change(readFileSync(file, 'utf8')));
    };
    const typicalLive = (await editor.get('/entries/typical-costs')).body.live;
    edit('side-effects', (t) => t.replace('question: Which side effects are common', 'question: What side effects are common'));
    edit('typical-costs', (t) =>
      t.replace(
        'question: How much does ketamine treatment typically cost',
        'question: What does ketamine treatment typically cost',
      ),
    );
    edit('bipolar-depression', (t) => t.replace(/reviewed: .*\nreviewBy: .*/, 'reviewed: 2020-01-01\nreviewBy: 2021-01-01'));
    unlinkSync(path.join(knowledge, 'en', 'drug-tests.md'));
    await running.app.get(KnowledgeService).reloadAll(); // what SIGHUP and KNOWLEDGE_WATCH do

    const sideEffects = (await editor.get('/entries/side-effects')).body;
    expect(sideEffects).toMatchObject({ status: 'published', latest: { kind: 'baseline', changes: ['question'] } });
    expect(sideEffects.entry.question).toMatch(/^What side effects/);
    expect((await answer('What side effects are common with ketamine or Spravato?')).question).toMatch(/^What side effects/);

    const costs = (await editor.get('/entries/typical-costs')).body;
    expect(costs).toMatchObject({ status: 'draft', latest: { kind: 'baseline', changes: expect.arrayContaining(['question']) } });
    expect(costs.entry.question).toMatch(/^What does ketamine/);
    expect(costs.live).toEqual(typicalLive);
    expect((await editor.get('/entries')).body.entries.find((e: { id: string }) => e.id === 'typical-costs')).toMatchObject({
      draftFrom: 'baseline',
    });

    expect((await editor.get('/entries/drug-tests')).body).toMatchObject({ status: 'retired' });

    // Past its reviewBy date: listed as due; publishing it again records today's review.
    const due = await editor.get('/review/due');
    expect(due.body.entries.map((e: { id: string }) => e.id)).toEqual(['bipolar-depression']);
    expect(due.body.entries[0]).toMatchObject({ reviewBy: '2021-01-01', dueForReview: true });
    expect(due.body.entries[0].overdueDays).toBeGreaterThan(300);
    const bipolar = await latest('bipolar-depression');
    const reviewed = await admin.post('/entries/bipolar-depression/publish', { revision: bipolar.revision });
    expect(reviewed.status).toBe(200);
    const nextYear = new Date(Date.parse(`${today}T00:00:00Z`) + 366 * 86_400_000).toISOString().slice(0, 10);
    expect(reviewed.body).toMatchObject({ reviewed: today, reviewBy: nextYear, changes: [] });
    expect((await editor.get('/review/due')).body.entries).toEqual([]);
    expect((await editor.get('/review/due?withinDays=400')).body.entries.map((e: { id: string }) => e.id)).toContain(
      'bipolar-depression',
    );
  });

  it('previews an answer exactly as the widget shows it, sanitised', async () => {
    const { entry } = await latest('insurance-cost');
    const res = await editor.post('/entries/insurance-cost/preview', {
      entry: {
        ...entry,
        body: 'Check **your plan** first. <script>alert(1)</script> [Call us](javascript:alert(1)) and more words.',
      },
    });
    expect(res.status).toBe(200);
    const { reply } = res.body;
    expect(reply).toMatchObject({ type: 'answer', entryId: 'insurance-cost', question: entry.question, risk: 'none' });
    expect(reply.html).toContain('<strong>your plan</strong>');
    expect(reply.html).not.toMatch(/<script|javascript:/);
    expect(reply.html).toContain('&lt;script&gt;');
    expect(reply.evidence).toMatchObject({ level: entry.evidence, label: expect.any(String), caveat: expect.any(String) });
    expect(reply.disclaimer).toEqual(expect.any(String));
    const invalid = await editor.post('/entries/insurance-cost/preview', { entry: { ...entry, body: 'short' } });
    expect(invalid.status).toBe(400);
  });

  it('tests a question through the live pipeline without storing it, flagging or paging', async () => {
    const flagsBefore = await running.app.get(StorageService).db.selectFrom('flags').select('id').execute();
    const res = await oncall.post('/test-question', { text: 'can I drive home after my ketamine treatment?' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      locale: 'en',
      risk: { level: 'none', kind: null, reasons: [] },
      outcome: 'answer',
      match: { reason: 'answered', entry: { id: 'driving-after' }, threshold: expect.any(Number) },
      reply: { type: 'answer', entryId: 'driving-after' },
    });
    expect(res.body.match.confidence).toBeGreaterThan(res.body.match.threshold);
    expect(res.body.match.runnersUp.length).toBeGreaterThan(0);
    for (const r of res.body.match.runnersUp) {
      expect(r).toEqual({
        id: expect.any(String),
        question: expect.any(String),
        score: expect.any(Number),
        phrasing: expect.any(Number),
      });
      expect(r.score).toBeLessThanOrEqual(res.body.match.confidence);
    }

    const crisis = await oncall.post('/test-question', { text: 'I am going to kill myself tonight', locale: 'en' });
    expect(crisis.body).toMatchObject({
      risk: { level: 'crisis', kind: 'imminent' },
      outcome: 'crisis',
      match: null,
      reply: { type: 'crisis' },
    });
    expect(crisis.body.risk.reasons.length).toBeGreaterThan(0);
    const flagsAfter = await running.app.get(StorageService).db.selectFrom('flags').select('id').execute();
    expect(flagsAfter).toEqual(flagsBefore);
    expect((await admin.get('/analytics')).body.riskByDay.some((d: { crisis: number }) => d.crisis > 0)).toBe(false);
  });

  it('exports the store as Markdown files that pass the schema, untouched entries byte for byte', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kap-export-'));
    try {
      const { stdout } = await run(process.execPath, ['dist/cli/corpus.js', 'export', out, '--data-dir', running.dataDir], {
        cwd: projectRoot,
      });
      const exported = await loadCorpus(out);
      expect(exported.ok ? [] : exported.problems).toEqual([]);
      // Every live entry, in both languages (the test created one more along the way).
      expect(stdout).toContain(`Exported ${exported.ok ? exported.corpus.entries.length : -1} live entries`);
      expect(exported.ok && exported.corpus.entries.some((e) => e.locale === 'es')).toBe(true);
      expect(readFileSync(path.join(out, 'en', 'driving-after.md'), 'utf8')).toContain('Zebrafinch reminder');
      expect(readFileSync(path.join(out, 'en', 'what-is-kap.md'), 'utf8')).toBe(
        readFileSync(path.join(knowledge, 'en', 'what-is-kap.md'), 'utf8'),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('serves published edits and keeps drafts after a restart, importing nothing new', async () => {
    const before = (await editor.get('/entries')).body.entries;
    await running.close();
    running = await startApp(env);
    const token = (await signIn(running.url, 'editor@example.org')).body.token;
    editor = staffApi(running.url, token);
    expect((await editor.get('/entries')).body.entries).toEqual(before);
    expect((await editor.get('/corpus')).body.lastBaselineImport.report).toMatchObject({ added: [], published: [], drafts: [] });
    expect((await answer('When is it safe to drive or work after a ketamine treatment?')).html).toContain('Zebrafinch reminder');
    expect((await editor.get('/entries/typical-costs')).body.status).toBe('draft');
  });
});
