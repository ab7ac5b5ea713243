import type { Role } from './protocol.js';

/**
 * The console's screens and its address bar. Each screen is a tab in the navigation, shown only to the
 * roles that may use it; more screens (the corpus editor, the question tester, triage) are added here.
 * Routes live in the URL's fragment: `#queue`, and `#flag=<id>` for one flag (the form the server's
 * pages link to: `CONSOLE_URL/#flag=<id>`).
 */

export interface ScreenDef {
  id: string;
  label: string;
  roles: readonly Role[];
}

export const SCREENS: readonly ScreenDef[] = [{ id: 'queue', label: 'On-call queue', roles: ['oncall', 'admin'] }];

/** Roles that see flagged conversations (the on-call queue, transcripts, joining). */
export const ON_CALL_ROLES: readonly Role[] = ['oncall', 'admin'];

export function screensFor(role: Role): ScreenDef[] {
  return SCREENS.filter((s) => s.roles.includes(role));
}

export interface Route {
  screen: string;
  /** The flag open on the queue screen. */
  flagId?: string;
}

const FLAG_ID = /^[\w-]{1,100}$/;

/** The route in a fragment (`#queue`, `#flag=<id>`); an empty or unknown fragment is the queue. */
export function parseRoute(hash: string): Route {
  const fragment = hash.replace(/^#\/?/, '');
  const flag = /^flag=(.+)$/.exec(fragment);
  if (flag) {
    const id = decodeURIComponent(flag[1]);
    return FLAG_ID.test(id) ? { screen: 'queue', flagId: id } : { screen: 'queue' };
  }
  const screen = SCREENS.find((s) => s.id === fragment);
  return { screen: screen?.id ?? 'queue' };
}

export function routeHref(route: Route): string {
  return route.flagId ? `#flag=${encodeURIComponent(route.flagId)}` : `#${route.screen}`;
}
