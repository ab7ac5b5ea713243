import type { Role } from './protocol.js';

/**
 * The console's screens and its address bar. Each screen is a tab in the navigation, shown only to the
 * roles that may use it. Routes live in the URL's fragment: `#queue`, and `#flag=<id>` for one flag
 * (the form the server's pages link to: `CONSOLE_URL/#flag=<id>`); `#entries` (`#entries=es` for the
 * Spanish entries), `#entry=en/<id>` for one entry, `#new-entry=en`; `#tester`, `#triage`, `#analytics`.
 */

export interface ScreenDef {
  id: string;
  label: string;
  roles: readonly Role[];
}

/** Roles that edit the corpus (and see the tester, triage and analytics). */
export const EDITOR_ROLES: readonly Role[] = ['editor', 'admin'];

export const SCREENS: readonly ScreenDef[] = [
  { id: 'queue', label: 'On-call queue', roles: ['oncall', 'admin'] },
  { id: 'entries', label: 'Entries', roles: EDITOR_ROLES },
  { id: 'tester', label: 'Question tester', roles: EDITOR_ROLES },
  { id: 'triage', label: 'Triage', roles: EDITOR_ROLES },
  { id: 'analytics', label: 'Analytics', roles: EDITOR_ROLES },
];

/** Roles that see flagged conversations (the on-call queue, transcripts, joining). */
export const ON_CALL_ROLES: readonly Role[] = ['oncall', 'admin'];

export function screensFor(role: Role): ScreenDef[] {
  return SCREENS.filter((s) => s.roles.includes(role));
}

export type RouteLocale = 'en' | 'es';

export interface Route {
  screen: string;
  /** The flag open on the queue screen. */
  flagId?: string;
  /** The entries' language (entries screen). */
  locale?: RouteLocale;
  /** The entry open on the entries screen. */
  entryId?: string;
  /** The new-entry form is open on the entries screen. */
  newEntry?: boolean;
}

const FLAG_ID = /^[\w-]{1,100}$/;
const ENTRY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LOCALE = /^(en|es)$/;

function decode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** The route in a fragment; an empty or unknown fragment is the first screen (the queue for those who see it). */
export function parseRoute(hash: string): Route {
  const fragment = hash.replace(/^#\/?/, '');
  const [name, rawValue] = fragment.includes('=')
    ? [fragment.slice(0, fragment.indexOf('=')), fragment.slice(fragment.indexOf('=') + 1)]
    : [fragment, null];
  const value = rawValue === null ? null : decode(rawValue);
  switch (name) {
    case 'flag':
      return value !== null && FLAG_ID.test(value) ? { screen: 'queue', flagId: value } : { screen: 'queue' };
    case 'entries':
      return value !== null && LOCALE.test(value) ? { screen: 'entries', locale: value as RouteLocale } : { screen: 'entries' };
    case 'entry': {
      const [locale, id] = (value ?? '').split('/');
      if (LOCALE.test(locale) && id && id.length <= 100 && ENTRY_ID.test(id))
        return { screen: 'entries', locale: locale as RouteLocale, entryId: id };
      return { screen: 'entries' };
    }
    case 'new-entry':
      return { screen: 'entries', locale: value !== null && LOCALE.test(value) ? (value as RouteLocale) : 'en', newEntry: true };
  }
  const screen = rawValue === null ? SCREENS.find((s) => s.id === name) : undefined;
  return { screen: screen?.id ?? 'queue' };
}

export function routeHref(route: Route): string {
  if (route.flagId) return `#flag=${encodeURIComponent(route.flagId)}`;
  if (route.screen === 'entries') {
    if (route.newEntry) return `#new-entry=${route.locale ?? 'en'}`;
    if (route.entryId) return `#entry=${route.locale ?? 'en'}/${encodeURIComponent(route.entryId)}`;
    if (route.locale && route.locale !== 'en') return `#entries=${route.locale}`;
  }
  return `#${route.screen}`;
}
