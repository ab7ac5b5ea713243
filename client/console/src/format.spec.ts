import { escalatesAt, formatClock, formatDuration, kindLabel, languageName, pagingLabel, reasonText } from './format.js';

describe('formatDuration (time waiting)', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [45_000, '45 s'],
    [59_999, '59 s'],
    [60_000, '1 min 00 s'],
    [245_000, '4 min 05 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [7_380_000, '2 h 03 min'],
    [86_400_000, '1 d 0 h'],
    [(3 * 24 + 4) * 3_600_000 + 59_000, '3 d 4 h'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('counts a clock slightly behind the server as no wait, never a negative one', () => {
    expect(formatDuration(-1500)).toBe('0 s');
  });
});

describe('the other texts', () => {
  it('gives times of day as 24-hour clock times with seconds', () => {
    const at = new Date(2026, 10, 29, 9, 5, 7).toISOString();
    expect(formatClock(at)).toBe('09:05:07');
  });

  it('names kinds, languages and paging states, and passes unknown ones through', () => {
    expect([kindLabel('imminent'), kindLabel('third-party'), kindLabel('new-kind')]).toEqual([
      'Imminent risk',
      'Someone else at risk',
      'new-kind',
    ]);
    expect([languageName('es'), languageName('en'), languageName('fr')]).toEqual(['Spanish', 'English', 'FR']);
    expect([pagingLabel('failed'), pagingLabel('not-configured'), pagingLabel('odd')]).toEqual([
      'Paging failed',
      'No pager configured',
      'odd',
    ]);
  });

  it("reads the screen's rule names as words", () => {
    expect(reasonText('en:crisis:want-to-die, es:imminent:ahora')).toBe('crisis: want to die; imminent: ahora');
    expect(reasonText('crisis:plan')).toBe('crisis: plan');
    expect(reasonText('accumulated_distress')).toBe('accumulated distress');
    expect(reasonText('')).toBe('');
  });

  it('says when an unacknowledged flag escalates', () => {
    expect(escalatesAt('2026-11-29T10:00:00.000Z', 5)).toBe(Date.parse('2026-11-29T10:05:00.000Z'));
    expect(escalatesAt('2026-11-29T10:00:00.000Z', null)).toBeNull();
  });
});
