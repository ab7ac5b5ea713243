import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { LiveEvents, type MessageOutcome } from '../events/live-events.js';
import { StorageService } from '../storage/storage.service.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { storeCases } from '../../test/support/postgres.js';

const outcome = (o: Partial<MessageOutcome>): MessageOutcome => ({
  at: '2026-11-29T10:00:00.000Z',
  locale: 'en',
  text: 'can my dog come to my session? call 555-201-3344',
  level: 'none',
  crisisKind: null,
  flagged: false,
  newlyFlagged: false,
  reply: 'fallback',
  entryId: null,
  matchReason: 'below-threshold',
  candidates: [{ id: 'what-is-kap', score: 0.2 }],
  ...o,
});

describe.each(storeCases)('OutcomeRecorder (real $name)', (store) => {
  let dir: string;
  let storage: StorageService;
  let events: LiveEvents;
  let recorder: OutcomeRecorder;
  const start = async (keepText: boolean) => {
    dir = mkdtempSync(path.join(tmpdir(), 'kap-insights-'));
    const values: Record<string, unknown> = { DATA_DIR: dir, TRIAGE_STORE_TEXT: keepText, ...(await store.config()) };
    const config = { get: (key: string) => values[key] } as unknown as AppConfig;
    storage = new StorageService(config);
    await storage.migrate();
    events = new LiveEvents();
    recorder = new OutcomeRecorder(events, storage, config);
  };
  afterEach(async () => {
    await storage.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });
  const items = () => storage.db.selectFrom('triage_items').selectAll().orderBy('id').execute();
  const counts = async () =>
    Object.fromEntries(
      (await storage.db.selectFrom('daily_counts').selectAll().execute()).map((r) => [`${r.metric}:${r.key}`, r.count]),
    );

  it('keeps no visitor text by default, only counts', async () => {
    await start(false);
    events.emit('chat:outcome', outcome({}));
    events.emit('chat:outcome', outcome({}));
    events.emit('chat:feedback', {
      at: 'x',
      locale: 'en',
      entryId: 'a',
      helpful: false,
      flagged: false,
      question: { text: 'why', level: 'none' },
    });
    await recorder.flush();
    expect(await items()).toEqual([]);
    expect(await counts()).toEqual({ 'risk:none': 2, 'reply:fallback': 2, 'fallback:below-threshold': 2 });
  });

  it('with TRIAGE_STORE_TEXT keeps redacted text of questions screened none in unflagged conversations only', async () => {
    await start(true);
    events.emit('chat:outcome', outcome({}));
    events.emit('chat:outcome', outcome({ level: 'concern', text: 'I feel hopeless, can my dog come' }));
    events.emit('chat:outcome', outcome({ level: 'none', flagged: true, text: 'can my dog come (flagged conversation)' }));
    events.emit(
      'chat:outcome',
      outcome({
        level: 'crisis',
        crisisKind: 'imminent',
        flagged: true,
        newlyFlagged: true,
        reply: 'crisis',
        text: 'I will end it tonight',
      }),
    );
    events.emit(
      'chat:outcome',
      outcome({
        reply: 'answer',
        entryId: 'typical-costs',
        matchReason: 'answered',
        text: 'what does it cost',
        candidates: [
          { id: 'typical-costs', score: 0.61 },
          { id: 'insurance-cost', score: 0.58 },
        ],
      }),
    );
    events.emit('chat:feedback', {
      at: 'x',
      locale: 'en',
      entryId: 'typical-costs',
      helpful: false,
      flagged: false,
      question: { text: 'is it cheap', level: 'none' },
    });
    events.emit('chat:feedback', {
      at: 'x',
      locale: 'en',
      entryId: 'typical-costs',
      helpful: true,
      flagged: false,
      question: { text: 'is it fine', level: 'none' },
    });
    await recorder.flush();
    expect((await items()).map((i) => [i.kind, i.text, i.entry_id, i.runner_up_id])).toEqual([
      ['unanswered', 'can my dog come to my session? call [phone]', null, null],
      ['thin-margin', 'what does it cost', 'typical-costs', 'insurance-cost'],
      ['unhelpful', 'is it cheap', 'typical-costs', null],
    ]);
    expect(await counts()).toMatchObject({
      'risk:crisis': 1,
      'crisis:imminent': 1,
      'flag:imminent': 1,
      'reply:crisis': 1,
      'thin:typical-costs>insurance-cost': 1,
      'answer:typical-costs': 1,
    });
  });
});
