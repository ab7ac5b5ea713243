import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFromRoot } from '../paths.js';
import type { EntryContent } from './entry-content.js';
import { parseEntryFile, renderEntryFile } from './entry-file.js';

const dir = resolveFromRoot('knowledge/en');
const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
const load = (name: string) => {
  const text = readFileSync(path.join(dir, name), 'utf8');
  const parsed = parseEntryFile(text, 'en', path.basename(name, '.md'));
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return { text, content: parsed.content };
};

describe('entry files', () => {
  it('gives back an unchanged file byte for byte', () => {
    for (const name of files) {
      const { text, content } = load(name);
      expect(renderEntryFile(content, text)).toBe(text);
    }
  });

  it('rewrites only the changed field: every other line stays as it was', () => {
    const { text, content } = load('what-is-kap.md');
    const edited: EntryContent = { ...content, alternates: [...content.alternates, 'what is kap in plain words'] };
    const out = renderEntryFile(edited, text);
    expect(out).not.toBe(text);
    const parsed = parseEntryFile(out, 'en', 'what-is-kap');
    expect(parsed.ok && parsed.content).toEqual(edited);
    // Only lines were added: the alternates block grew by one line, nothing else moved.
    const before = text.split('\n');
    const after = out.split('\n');
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((l) => !before.includes(l))).toEqual(['  - what is kap in plain words']);
  });

  it('keeps the front matter when only the answer changes, and adds a new optional field in schema order', () => {
    const { text, content } = load('what-is-kap.md');
    const out = renderEntryFile(
      { ...content, body: 'A new answer that is certainly long enough to pass.', showClinicContact: true },
      text,
    );
    const [front] = out.split('\n---\n');
    expect(front).toContain('showClinicContact: true\nreviewed:');
    expect(out.endsWith('\n---\nA new answer that is certainly long enough to pass.\n')).toBe(true);
    expect(front.replace('showClinicContact: true\n', '')).toBe(text.split('\n---\n')[0]);
  });

  it('writes a new entry in the corpus style, which parses back to the same content', () => {
    const { content } = load('what-is-kap.md');
    const fresh = renderEntryFile({
      ...content,
      summary: undefined,
      caveat: 'A caveat that is long enough to be folded over several lines. '.repeat(3).trim(),
    });
    expect(fresh).toMatch(/^---\nid: what-is-kap\nlocale: en\nquestion: /);
    expect(fresh).toMatch(/\ntags: \[kap, basics, /);
    expect(fresh).toMatch(/\ncaveat: >-\n {2}\S/);
    expect(fresh).not.toMatch(/showCrisisResources/);
    const parsed = parseEntryFile(fresh, 'en', 'what-is-kap');
    expect(parsed.ok).toBe(true);
    // Written again from itself, it does not change.
    if (parsed.ok) expect(renderEntryFile(parsed.content, fresh)).toBe(fresh);
  });
});
