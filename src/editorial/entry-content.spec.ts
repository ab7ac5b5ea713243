import { readFileSync } from 'node:fs';
import { resolveFromRoot } from '../paths.js';
import { changedFields, contentHash, stampReviewed, validateContent, type EntryContent } from './entry-content.js';
import { parseEntryFile } from './entry-file.js';

const shipped = (): EntryContent => {
  const parsed = parseEntryFile(readFileSync(resolveFromRoot('knowledge/en/what-is-kap.md'), 'utf8'), 'en', 'what-is-kap');
  if (!parsed.ok) throw new Error('the shipped entry does not parse');
  return parsed.content;
};

describe('entry content', () => {
  it('accepts an entry as the files have it, with the schema defaults filled in', () => {
    const { showCrisisResources: _drop, ...entry } = shipped();
    const result = validateContent(entry, { id: 'what-is-kap', locale: 'en' });
    expect(result.ok && result.content.showCrisisResources).toBe(false);
  });

  it('names every bad field, nested ones too, and unknown fields', () => {
    const entry = {
      ...shipped(),
      reviewBy: '2000-01-01',
      sources: [{ title: 'A title', url: 'https://x.org' }],
      extra: 1,
      body: 42,
    };
    const result = validateContent(entry, { id: 'what-is-kap', locale: 'en' });
    expect(result.ok ? [] : result.errors.map((e) => e.path).sort()).toEqual(
      ['entry.body', 'entry.extra', 'entry.reviewBy', 'entry.sources[0].publisher'].sort(),
    );
  });

  it('keeps the id and locale to those of the address', () => {
    const result = validateContent({ ...shipped(), id: 'other-entry', locale: 'es' }, { id: 'what-is-kap', locale: 'en' });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['entry.id', 'entry.locale']);
  });

  it('lists the fields that changed and fingerprints content independently of key order', () => {
    const a = shipped();
    const b = { ...a, tags: [...a.tags, 'new'], body: `${a.body} More.` };
    expect(changedFields(a, b)).toEqual(['body', 'tags']);
    expect(changedFields(a, null)).toEqual(['retired']);
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as EntryContent;
    expect(contentHash(reordered)).toBe(contentHash(a));
    expect(contentHash(b)).not.toBe(contentHash(a));
  });

  it('stamps a publication: reviewed today, reviewBy kept when ahead, else moved by the same interval', () => {
    const entry = { ...shipped(), reviewed: '2026-01-01', reviewBy: '2027-01-01' };
    expect(stampReviewed(entry, '2026-06-01')).toMatchObject({ reviewed: '2026-06-01', reviewBy: '2027-01-01' });
    expect(stampReviewed(entry, '2027-02-01')).toMatchObject({ reviewed: '2027-02-01', reviewBy: '2028-02-01' });
    expect(stampReviewed(entry, '2027-01-01')).toMatchObject({ reviewed: '2027-01-01', reviewBy: '2028-01-01' });
  });
});
