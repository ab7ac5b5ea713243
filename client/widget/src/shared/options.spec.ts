import { baseUrl, pickLocale, readOptions } from './options.js';

const attrs = (values: Record<string, string>) => (name: string) => values[name] ?? null;
const SRC = 'https://bot.example.org/widget.js';
const PAGE = 'https://clinic.example.com/services/kap.html';

describe('snippet options', () => {
  it('picks the locale from data-locale, else the browser, else English', () => {
    expect(pickLocale('es', ['en-US'])).toBe('es');
    expect(pickLocale('en', ['es-MX'])).toBe('en');
    expect(pickLocale('ES-mx', [])).toBe('es');
    expect(pickLocale(undefined, ['fr-FR', 'es-419', 'en'])).toBe('es');
    expect(pickLocale('fr', ['de', 'en-GB'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });

  it('derives the server from the script URL, or takes data-server', () => {
    expect(readOptions(attrs({}), SRC, PAGE, []).server).toBe('https://bot.example.org/');
    expect(readOptions(attrs({}), 'https://bot.example.org/kap/widget.js?v=3', PAGE, [])).toMatchObject({
      server: 'https://bot.example.org/kap/',
      assets: 'https://bot.example.org/kap/',
    });
    expect(readOptions(attrs({ server: 'https://other.example.net/bot' }), SRC, PAGE, []).server).toBe(
      'https://other.example.net/bot/',
    );
    expect(readOptions(attrs({ server: '/assistant/' }), SRC, PAGE, []).server).toBe('https://clinic.example.com/assistant/');
    expect(readOptions(attrs({ server: 'javascript:alert(1)' }), SRC, PAGE, []).server).toBe('https://bot.example.org/');
    expect(baseUrl('data:text/html,hi', PAGE)).toBeNull();
  });

  it('reads title, position, starters, accent and nonce, cleaned', () => {
    const options = readOptions(
      attrs({
        title: '  Ask   Example Clinic  ',
        position: 'LEFT',
        starters: 'What is KAP? | |How much does it cost?|a|b|c',
        accent: '#ABC',
        nonce: 'r4nd0m',
        locale: 'es',
      }),
      SRC,
      PAGE,
      ['en'],
    );
    expect(options).toEqual({
      locale: 'es',
      server: 'https://bot.example.org/',
      assets: 'https://bot.example.org/',
      title: 'Ask Example Clinic',
      accent: '#aabbcc',
      position: 'left',
      starters: ['What is KAP?', 'How much does it cost?', 'a', 'b'],
      nonce: 'r4nd0m',
    });
  });

  it('has safe defaults for missing or bad values', () => {
    expect(readOptions(attrs({ accent: 'red;}', position: 'top', title: '   ' }), SRC, PAGE, [])).toMatchObject({
      accent: null,
      position: 'right',
      title: null,
      starters: [],
      nonce: null,
    });
    expect(readOptions(attrs({ title: 'x'.repeat(500) }), SRC, PAGE, []).title).toHaveLength(80);
  });
});
