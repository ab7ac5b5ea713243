import { parseHexColor, toHex } from './color.js';
import type { Locale } from './protocol.js';

/** What a clinic can set on the snippet's `<script>` element, validated. */
export interface WidgetOptions {
  locale: Locale;
  /** The bot server's base URL, ending in `/` (socket.io, `/api/widget/config`). */
  server: string;
  /** The base URL the widget's own files are loaded from, ending in `/`. */
  assets: string;
  title: string | null;
  /** `#rrggbb`, or null for the default. */
  accent: string | null;
  position: 'left' | 'right';
  starters: string[];
  nonce: string | null;
}

export const MAX_STARTERS = 4;
const MAX_TITLE = 80;
const MAX_STARTER = 200;

/** `data-locale` when it names a supported language, else the browser's first supported language, else English. */
export function pickLocale(attribute: string | null | undefined, languages: readonly string[]): Locale {
  for (const candidate of [attribute, ...languages]) {
    const tag = (candidate ?? '').trim().toLowerCase().split(/[-_]/)[0];
    if (tag === 'en' || tag === 'es') return tag;
    // An explicit but unsupported data-locale falls through to the browser's languages.
  }
  return 'en';
}

/** An absolute http(s) base URL ending in `/`, or null. */
export function baseUrl(value: string, relativeTo: string): string | null {
  try {
    const url = new URL(value, relativeTo);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    return url.href;
  } catch {
    return null;
  }
}

function cleanText(value: string | null | undefined, max: number): string | null {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, max) : null;
}

/**
 * Reads the snippet's data attributes.
 * @param attr the value of a `data-*` attribute (by its name without `data-`), or null
 * @param scriptSrc the absolute URL the loader came from
 * @param pageHref the embedding page's URL (for a relative `data-server`)
 */
export function readOptions(
  attr: (name: string) => string | null | undefined,
  scriptSrc: string,
  pageHref: string,
  languages: readonly string[],
): WidgetOptions {
  const assets = baseUrl('.', scriptSrc) ?? baseUrl('/', pageHref) ?? '/';
  const server = (attr('server') && baseUrl(attr('server') as string, pageHref)) || assets;
  const accent = parseHexColor(attr('accent'));
  const starters = (attr('starters') ?? '')
    .split('|')
    .map((s) => cleanText(s, MAX_STARTER))
    .filter((s): s is string => !!s)
    .slice(0, MAX_STARTERS);
  return {
    locale: pickLocale(attr('locale'), languages),
    server,
    assets,
    title: cleanText(attr('title'), MAX_TITLE),
    accent: accent ? toHex(accent) : null,
    position: (attr('position') ?? '').trim().toLowerCase() === 'left' ? 'left' : 'right',
    starters,
    nonce: cleanText(attr('nonce'), 200),
  };
}
