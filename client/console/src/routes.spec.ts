import { parseRoute, routeHref, screensFor } from './routes.js';

describe('console routes', () => {
  it('reads the queue and a flag from the fragment (the form pages link to)', () => {
    expect(parseRoute('')).toEqual({ screen: 'queue' });
    expect(parseRoute('#queue')).toEqual({ screen: 'queue' });
    expect(parseRoute('#/queue')).toEqual({ screen: 'queue' });
    expect(parseRoute('#flag=3f6c2a1e-9b7d-4c1e-8f00-123456789abc')).toEqual({
      screen: 'queue',
      flagId: '3f6c2a1e-9b7d-4c1e-8f00-123456789abc',
    });
  });

  it('reads the editor screens: entries by language, one entry, a new entry, tester, triage, analytics', () => {
    expect(parseRoute('#entries')).toEqual({ screen: 'entries' });
    expect(parseRoute('#entries=es')).toEqual({ screen: 'entries', locale: 'es' });
    expect(parseRoute('#entries=fr')).toEqual({ screen: 'entries' });
    expect(parseRoute('#entry=en/what-is-kap')).toEqual({ screen: 'entries', locale: 'en', entryId: 'what-is-kap' });
    expect(parseRoute('#entry=es/side-effects')).toEqual({ screen: 'entries', locale: 'es', entryId: 'side-effects' });
    expect(parseRoute('#entry=en/Not_An_Id')).toEqual({ screen: 'entries' });
    expect(parseRoute('#entry=xx/what-is-kap')).toEqual({ screen: 'entries' });
    expect(parseRoute('#entry=%E0%A4%A')).toEqual({ screen: 'entries' });
    expect(parseRoute('#new-entry=es')).toEqual({ screen: 'entries', locale: 'es', newEntry: true });
    expect(parseRoute('#new-entry')).toEqual({ screen: 'entries', locale: 'en', newEntry: true });
    for (const screen of ['tester', 'triage', 'analytics']) expect(parseRoute(`#${screen}`)).toEqual({ screen });
    for (const route of [
      { screen: 'entries', locale: 'es' as const },
      { screen: 'entries', locale: 'en' as const, entryId: 'what-is-kap' },
      { screen: 'entries', locale: 'es' as const, newEntry: true },
      { screen: 'triage' },
    ])
      expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ screen: 'entries', locale: 'en' })).toBe('#entries');
  });

  it('ignores unknown screens and flag ids that cannot be ids', () => {
    expect(parseRoute('#nowhere')).toEqual({ screen: 'queue' });
    expect(parseRoute('#tester=1')).toEqual({ screen: 'queue' });
    expect(parseRoute('#flag=<img src=x>')).toEqual({ screen: 'queue' });
    expect(parseRoute('#flag=' + 'a'.repeat(101))).toEqual({ screen: 'queue' });
  });

  it('writes routes back into fragments', () => {
    expect(routeHref({ screen: 'queue' })).toBe('#queue');
    expect(routeHref({ screen: 'queue', flagId: 'abc-1' })).toBe('#flag=abc-1');
    expect(parseRoute(routeHref({ screen: 'queue', flagId: 'abc-1' }))).toEqual({ screen: 'queue', flagId: 'abc-1' });
  });

  it('shows the on-call queue to on-call staff and admins, the editor screens to editors and admins', () => {
    expect(screensFor('oncall').map((s) => s.id)).toEqual(['queue']);
    expect(screensFor('admin').map((s) => s.id)).toEqual(['queue', 'entries', 'tester', 'triage', 'analytics']);
    expect(screensFor('editor').map((s) => s.id)).toEqual(['entries', 'tester', 'triage', 'analytics']);
  });
});
