import type { Entry } from './editor-protocol.js';
import { emptyForm, formChanged, fromForm, toForm } from './entry-form.js';

const entry: Entry = {
  id: 'driving-after',
  locale: 'en',
  question: 'When is it safe to drive?',
  summary: 'Not on the day of treatment.',
  alternates: ['can i drive home', 'driving after spravato'],
  tags: ['driving', 'safety'],
  evidence: 'moderate',
  sources: [{ title: 'Spravato label', publisher: 'FDA', year: 2024, url: 'https://example.org/label' }],
  related: ['after-session'],
  showCrisisResources: false,
  showClinicContact: true,
  reviewed: '2026-01-01',
  reviewBy: '2027-01-01',
  body: 'Plan not to drive on the day of your treatment.',
};

describe('the entry form', () => {
  it('round-trips an entry: lists as lines and commas, a year as text, absent optional fields stay absent', () => {
    const form = toForm(entry);
    expect(form).toMatchObject({
      alternates: 'can i drive home\ndriving after spravato',
      tags: 'driving, safety',
      related: 'after-session',
      caveat: '',
      translatedFrom: '',
      sources: [
        {
          title: 'Spravato label',
          publisher: 'FDA',
          journal: '',
          year: '2024',
          url: 'https://example.org/label',
          doi: '',
          pmid: '',
        },
      ],
    });
    expect(fromForm(form, entry)).toEqual(entry);
    expect(formChanged(form, toForm(entry))).toBe(false);
  });

  it('shapes what people type: blank lines and rows dropped, spaces trimmed, empty optional fields left out', () => {
    const form = {
      ...toForm(entry),
      question: '  When can I drive?  ',
      alternates: 'one\n\n  two  \r\n',
      summary: '   ',
      tags: 'a, ,b',
      related: 'x,\ny',
      sources: [
        { title: 'T', url: ' https://e.org ', publisher: '', journal: 'J', year: '', doi: '', pmid: '123' },
        { title: '', url: '', publisher: '', journal: '', year: '', doi: '', pmid: '' },
      ],
    };
    const out = fromForm(form, entry);
    expect(out).toMatchObject({
      question: 'When can I drive?',
      alternates: ['one', 'two'],
      tags: ['a', 'b'],
      related: ['x', 'y'],
      sources: [{ title: 'T', url: 'https://e.org', journal: 'J', pmid: '123' }],
    });
    expect(out).not.toHaveProperty('summary');
    expect(out.sources[0]).not.toHaveProperty('year');
    expect(formChanged(form, toForm(entry))).toBe(true);
  });

  it('sends a year that is not a number as written, for the server to name the field', () => {
    const form = toForm(entry);
    form.sources[0].year = '20x4';
    expect(fromForm(form).sources[0].year).toBe('20x4');
  });

  it('keeps fields the form does not know (added to the schema later)', () => {
    const later = { ...entry, audience: 'adults' } as Entry;
    expect(fromForm(toForm(later), later)).toMatchObject({ audience: 'adults' });
  });

  it('starts a new entry reviewed today, due in a year, with one source to fill in', () => {
    expect(emptyForm('es', '2026-03-01')).toMatchObject({
      locale: 'es',
      reviewed: '2026-03-01',
      reviewBy: '2027-03-01',
      evidence: 'limited',
      sources: [{ title: '', url: '' }],
    });
  });
});
