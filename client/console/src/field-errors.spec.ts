import { fieldId, formErrors, pathParts, placeError } from './field-errors.js';

describe('field errors on the entry form', () => {
  it('splits paths into names and indexes', () => {
    expect(pathParts('entry.sources[0].url')).toEqual(['entry', 'sources', 0, 'url']);
    expect(pathParts('entry.alternates[12]')).toEqual(['entry', 'alternates', 12]);
    expect(pathParts('baseRevision')).toEqual(['baseRevision']);
  });

  it('places a field of a source next to that input, named by source number and field', () => {
    expect(placeError({ path: 'entry.sources[0].url', message: 'must be a well-formed https:// URL' })).toEqual({
      field: 'sources.0.url',
      label: 'Source 1: address (URL)',
      message: 'must be a well-formed https:// URL',
    });
    expect(placeError({ path: 'entry.sources[2].publisher', message: 'needs a publisher or a journal' })).toMatchObject({
      field: 'sources.2.publisher',
      label: 'Source 3: publisher',
    });
    // A problem with a whole source (a field it should not have), and with the list.
    expect(placeError({ path: 'entry.sources[1].isbn', message: 'is not a field of an entry' })).toMatchObject({
      field: 'sources.1',
      label: 'Source 2',
    });
    expect(placeError({ path: 'entry.sources', message: 'needs at least one source' })).toMatchObject({ field: 'sources' });
  });

  it('places list items on their one input, saying which line or item', () => {
    expect(placeError({ path: 'entry.alternates[3]', message: 'is also a phrasing of what-is-kap' })).toEqual({
      field: 'alternates',
      label: 'Other phrasings',
      message: 'Line 4: is also a phrasing of what-is-kap',
    });
    expect(placeError({ path: 'entry.related[0]', message: 'no entry "nowhere"' })).toMatchObject({
      field: 'related',
      message: 'Related entry 1: no entry "nowhere"',
    });
    expect(placeError({ path: 'entry.tags[1]', message: 'Too small' }).message).toBe('Tag 2: Too small');
  });

  it('places plain fields, the note, and keeps what has no input for the summary only', () => {
    expect(placeError({ path: 'entry.body', message: 'the answer must be at least 40 characters' })).toMatchObject({
      field: 'body',
      label: 'Answer',
    });
    expect(placeError({ path: 'entry.reviewBy', message: 'must be after "reviewed"' })).toMatchObject({ field: 'reviewBy' });
    expect(placeError({ path: 'note', message: 'Too big' })).toMatchObject({ field: 'note' });
    expect(placeError({ path: 'entry.locale', message: 'must be "en"' })).toEqual({
      field: null,
      label: 'Language',
      message: 'must be "en"',
    });
    expect(placeError({ path: 'entry.colour', message: 'is not a field of an entry' })).toMatchObject({
      field: null,
      label: 'colour',
    });
    expect(placeError({ path: 'baseRevision', message: 'Invalid input' })).toMatchObject({ field: null, label: 'baseRevision' });
    // Another entry's file (the corpus as a whole would be invalid on publish).
    expect(placeError({ path: 'en/other.md#related[0]', message: 'no entry "x"' })).toMatchObject({
      field: null,
      label: 'en/other.md#related[0]',
    });
    expect(placeError({ path: 'entry', message: 'must be an object' })).toMatchObject({ field: null, label: 'The entry' });
  });

  it('collects the messages per field, in order, and names the inputs', () => {
    const errors = formErrors([
      { path: 'entry.question', message: 'Too small' },
      { path: 'entry.sources[0].url', message: 'must be https' },
      { path: 'entry.alternates[0]', message: 'a' },
      { path: 'entry.alternates[2]', message: 'b' },
      { path: 'baseRevision', message: 'Invalid' },
    ]);
    expect(errors.all.map((e) => e.field)).toEqual(['question', 'sources.0.url', 'alternates', 'alternates', null]);
    expect(errors.byField).toEqual({
      question: ['Too small'],
      'sources.0.url': ['must be https'],
      alternates: ['Line 1: a', 'Line 3: b'],
    });
    expect(fieldId('sources.0.url')).toBe('f-sources-0-url');
    expect(fieldId('question')).toBe('f-question');
  });
});
