import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { KnowledgeService } from '../src/knowledge/knowledge.service.js';
import { ask, connectVisitor, startApp, type RunningApp } from './support/app.js';
import { until } from './support/staff.js';

/**
 * Hardening item 19: a watched knowledge folder survives editors' lock files and broken entries, and
 * reloads lexicons and reply texts too.
 */
describe('a watched knowledge folder', () => {
  let running: RunningApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kap-watch-'));
    cpSync(path.join(projectRoot, 'knowledge'), dir, { recursive: true });
    running = await startApp({ KNOWLEDGE_DIR: dir, KNOWLEDGE_WATCH: 'true' });
  });
  afterAll(() => running.close());

  const reply = async (text: string) => {
    const socket = await connectVisitor(running.url);
    try {
      return await ask(socket, { text });
    } finally {
      socket.close();
    }
  };

  it("survives an editor's lock file and a broken entry, and reloads reply texts and lexicons", async () => {
    // Emacs leaves a dangling link named .#<file> while a file is being edited.
    symlinkSync('nobody@host.1234:1700000000', path.join(dir, 'en', '.#what-is-kap.md'));
    writeFileSync(path.join(dir, 'en', 'broken.md'), '---\nid: broken\n---\nnot valid');
    // Reply texts: a changed disclaimer is in the next reply.
    const repliesFile = path.join(dir, 'replies', 'en.yaml');
    writeFileSync(repliesFile, readFileSync(repliesFile, 'utf8').replace(/disclaimer: >-\n/, 'disclaimer: >-\n  Reloaded.\n'));
    await until(async () => /^Reloaded\./.test((await reply('What is KAP?')).disclaimer), 10_000, 'reply texts reloaded');
    // The broken entry was refused: the live corpus still answers.
    expect((await reply('What is ketamine-assisted psychotherapy?')).type).toBe('answer');
    expect((await fetch(`${running.url}/health`)).status).toBe(200);

    // Lexicons: a new rule applies once the file is saved; a lexicon that fails its own examples is refused.
    const lexicon = path.join(dir, 'safety', 'en.yaml');
    const original = readFileSync(lexicon, 'utf8');
    const phrase = 'zebra crossing forever tonight';
    expect((await reply(phrase)).type).not.toBe('crisis');
    writeFileSync(
      lexicon,
      `${original}\n`.replace(
        /^rules:\n/m,
        `rules:\n  - id: test-added-rule\n    category: intent\n    pattern: "${phrase}"\n    examples: ["${phrase}"]\n`,
      ),
    );
    await until(async () => (await reply(phrase)).type === 'crisis', 10_000, 'lexicon reloaded');

    // A rule that misses its own example is refused: the live lexicons (with the rule above) stay.
    const refused = 'purple elephant parade';
    writeFileSync(
      lexicon,
      `${original}\n`.replace(/^rules:\n/m, `rules:\n  - id: test-broken-rule\n    category: intent\n    pattern: "${refused}"\n    examples: ["something else entirely"]\n`),
    );
    // Reloaded (as the watch would): refused, so the lexicons with the rule above stay live.
    await running.app.get(KnowledgeService).reloadAll();
    expect((await reply(refused)).type).not.toBe('crisis');
    expect((await reply(phrase)).type).toBe('crisis');
  }, 40_000);
});
