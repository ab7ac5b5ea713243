import { StorageService } from '../src/storage/storage.service.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { staffApi } from './support/corpus.js';
import { addStaff, signIn } from './support/staff.js';

/** By default (TRIAGE_STORE_TEXT unset) no visitor text is kept for triage: only counts. */
describe('content triage by default', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({});
    await addStaff(running, 'editor@example.org', 'editor');
  });
  afterAll(() => running.close());

  it('counts unanswered questions but keeps none of their words', async () => {
    const socket = await connectVisitor(running.url);
    try {
      expect((await ask(socket, { text: 'can I bring my dog to a session? 555-201-3344' })).type).toBe('fallback');
    } finally {
      socket.close();
    }
    const editor = staffApi(running.url, (await signIn(running.url, 'editor@example.org')).body.token);
    const triage = (await editor.get('/triage')).body;
    expect(triage.textKept).toBe(false);
    expect(Object.values(triage.unanswered.counts).reduce((a: number, b) => a + (b as number), 0)).toBe(1);
    expect(triage.unanswered.groups).toEqual([]);
    expect(JSON.stringify(triage)).not.toMatch(/dog|555/);
    expect(await running.app.get(StorageService).db.selectFrom('triage_items').selectAll().execute()).toEqual([]);
  });
});
