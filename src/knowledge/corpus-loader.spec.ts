import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveFromRoot } from '../paths.js';
import { loadCorpus, type CorpusProblem } from './corpus-loader.js';

function entry(id: string, overrides: Record<string, string> = {}, body = 'A plain answer that is long enough to pass the minimum length check.'): string {
  const fields: Record<string, string> = {
    id,
    locale: 'en',
    question: `What about ${id}?`,
    alternates: `[${id} question, tell me about ${id}]`,
    tags: '[test]',
    evidence: 'limited',
    sources: '\n  - title: A real source title\n    publisher: National Institute of Mental Health\n    year: 2024\n    url: https://www.nimh.nih.gov/health/topics/depression',
    related: '[]',
    reviewed: '2026-01-01',
    reviewBy: '2027-01-01',
    ...overrides,
  };
  const yaml = Object.entries(fields)
    .filter(([, v]) => v !== '__omit__')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}\n`;
}

describe('loadCorpus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'corpus-'));
    await mkdir(path.join(dir, 'en'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => writeFile(path.join(dir, 'en', name), text);
  const problems = async (): Promise<CorpusProblem[]> => {
    const result = await loadCorpus(dir);
    if (result.ok) throw new Error('expected the corpus to be invalid');
    return result.problems;
  };

  it('loads valid entries, renders their answers and versions the corpus', async () => {
    await write('alpha.md', entry('alpha', { related: '[beta]' }, 'Some **bold** text.\n\nAnother paragraph here.'));
    await write('beta.md', entry('beta'));
    const result = await loadCorpus(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.corpus.entries.map((e) => e.id)).toEqual(['alpha', 'beta']);
    expect(result.corpus.entries[0].html).toContain('<strong>bold</strong>');
    expect(result.corpus.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('reports every problem with its file and field', async () => {
    await write('alpha.md', entry('alpha', { evidence: 'excellent', sources: '[]' }));
    await write('beta.md', entry('gamma', { reviewed: '2026-13-45' }));
    await write('delta.md', entry('delta', { sources: '\n  - title: A title\n    publisher: FDA\n    url: http://insecure.example.com\n    doi: doi.org/10.1/x' }));
    const found = await problems();
    const where = found.map((p) => `${p.file} ${p.field}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'en/alpha.md evidence',
        'en/alpha.md sources',
        'en/beta.md reviewed',
        'en/delta.md sources[0].url',
        'en/delta.md sources[0].doi',
      ]),
    );
  });

  it('requires the id to equal the file name and related ids to exist', async () => {
    await write('alpha.md', entry('other', {}));
    await write('beta.md', entry('beta', { related: '[nowhere]' }));
    const found = await problems();
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'en/alpha.md', field: 'id' }),
        expect.objectContaining({ file: 'en/beta.md', field: 'related[0]' }),
      ]),
    );
  });

  it('rejects a phrasing shared by two entries, ignoring case and punctuation', async () => {
    await write('alpha.md', entry('alpha', { alternates: '[Is it safe?]' }));
    await write('beta.md', entry('beta', { alternates: '[is it safe]' }));
    const found = await problems();
    expect(found).toEqual([expect.objectContaining({ file: 'en/beta.md', field: 'alternates[0]' })]);
  });

  it('rejects files without front matter, broken YAML and empty answers', async () => {
    await write('alpha.md', 'Just text, no front matter at all.');
    await write('beta.md', '---\nid: [unclosed\n---\nbody text that is long enough to count here.\n');
    await write('gamma.md', entry('gamma', {}, 'short'));
    const files = (await problems()).map((p) => p.file);
    expect(files).toEqual(expect.arrayContaining(['en/alpha.md', 'en/beta.md', 'en/gamma.md']));
  });

  it('warns about entries past their review date without rejecting them', async () => {
    await write('alpha.md', entry('alpha', { reviewed: '2020-01-01', reviewBy: '2021-01-01' }));
    const result = await loadCorpus(dir);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.corpus.warnings).toEqual([expect.objectContaining({ file: 'en/alpha.md', field: 'reviewBy' })]);
  });

  it('loads the shipped corpus without problems', async () => {
    const result = await loadCorpus(resolveFromRoot('knowledge'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
