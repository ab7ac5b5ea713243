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

  it('ignores unknown screens and flag ids that cannot be ids', () => {
    expect(parseRoute('#entries')).toEqual({ screen: 'queue' });
    expect(parseRoute('#flag=<img src=x>')).toEqual({ screen: 'queue' });
    expect(parseRoute('#flag=' + 'a'.repeat(101))).toEqual({ screen: 'queue' });
  });

  it('writes routes back into fragments', () => {
    expect(routeHref({ screen: 'queue' })).toBe('#queue');
    expect(routeHref({ screen: 'queue', flagId: 'abc-1' })).toBe('#flag=abc-1');
    expect(parseRoute(routeHref({ screen: 'queue', flagId: 'abc-1' }))).toEqual({ screen: 'queue', flagId: 'abc-1' });
  });

  it('shows the on-call queue to on-call staff and admins only', () => {
    expect(screensFor('oncall').map((s) => s.id)).toEqual(['queue']);
    expect(screensFor('admin').map((s) => s.id)).toEqual(['queue']);
    expect(screensFor('editor')).toEqual([]);
  });
});
