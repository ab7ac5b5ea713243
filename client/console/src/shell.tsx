import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { chime, notify } from './alerts.js';
import { AlertsControl } from './alerts-control.js';
import { AnalyticsScreen } from './analytics-screen.js';
import { onUnauthorized, signOut } from './api.js';
import { corpusStatus } from './editor-api.js';
import { EntriesScreen } from './entries-screen.js';
import { EntryScreen } from './entry-screen.js';
import { FlagScreen } from './flag-screen.js';
import { kindLabel, languageName } from './format.js';
import { SESSION_ENDED, SIGNED_OUT } from './messages.js';
import type { Session } from './protocol.js';
import { queueOrder, tabTitle } from './queue.js';
import { QueueScreen } from './queue-screen.js';
import { EDITOR_ROLES, ON_CALL_ROLES, parseRoute, routeHref, screensFor, type Route } from './routes.js';
import { TesterScreen } from './tester-screen.js';
import { TriageScreen } from './triage-screen.js';
import { useOnCall } from './use-on-call.js';

interface Props {
  session: Session;
  onSignedOut(notice: string | null): void;
  /** The server refused this role on the on-call channel: check the session again. */
  onRoleRefused(): void;
}

const ROLE_NAMES = { oncall: 'on-call', admin: 'admin', editor: 'editor' } as const;

/** Announces to screen readers through one live region, there from the start (WCAG 4.1.3). */
function useAnnouncer(): [string, (text: string) => void] {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Cleared first, so the same words twice are announced twice.
    setMessage('');
    setTimeout(() => setMessage(text), 100);
  }, []);
  return [message, announce];
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The signed-in console: the header with its navigation, and the screen the address names. */
export function Shell({ session, onSignedOut, onRoleRefused }: Props) {
  const { member } = session;
  const onCallRole = ON_CALL_ROLES.includes(member.role);
  const editorRole = EDITOR_ROLES.includes(member.role);
  const screens = screensFor(member.role);
  const route = useRoute();
  const current = screens.find((s) => s.id === route.screen) ?? screens[0];
  const [announcement, announce] = useAnnouncer();
  const mainRef = useRef<HTMLElement>(null);

  const onCall = useOnCall(onCallRole, {
    newFlag(flag) {
      const what = `${kindLabel(flag.kind)}, ${languageName(flag.locale)}`;
      announce(`New crisis flag: ${what}.`);
      chime();
      // Says that something happened, never what the visitor wrote.
      notify('New crisis flag', `${what}. Open the on-call console.`, flag.id, () => {
        location.hash = routeHref({ screen: 'queue', flagId: flag.id });
      });
    },
    alert(event) {
      announce(`Crisis message from the visitor you are talking to (${kindLabel(event.kind)}).`);
      chime();
    },
    sessionEnded: () => onSignedOut(SESSION_ENDED),
    forbidden: onRoleRefused,
  });

  const openFlags = queueOrder(Object.values(onCall.state.flags)).length;
  useEffect(() => {
    // On-call staff see the open flags in the title wherever they are; others, the screen's name.
    document.title = onCallRole ? tabTitle(openFlags) : current ? `${current.label} — KAP console` : 'KAP console';
  }, [onCallRole, openFlags, current]);

  // The route's flag is the open one.
  const flagId = onCallRole && route.screen === 'queue' ? route.flagId : undefined;
  const lastFlag = useRef<string | null>(null);
  useEffect(() => {
    if (flagId) onCall.open(flagId);
    else onCall.close();
    // Rendered before this runs, the queue still sees the flag that was open, to return the focus to it.
    lastFlag.current = flagId ?? null;
  }, [flagId]);

  // An API call refused for an ended session returns to the sign-in page (the socket tells on-call consoles).
  useEffect(() => {
    onUnauthorized(() => onSignedOut(SESSION_ENDED));
    return () => onUnauthorized(null);
  }, [onSignedOut]);

  // Who may publish (PUBLISH_BY), for the editor screens.
  const [publishBy, setPublishBy] = useState<string | null>(null);
  useEffect(() => {
    if (editorRole)
      corpusStatus()
        .then((s) => setPublishBy(s.publishBy))
        .catch(() => undefined);
  }, [editorRole]);

  // The entry open before: its link in the list gets the focus back.
  const entryOpen = current?.id === 'entries' && route.screen === 'entries' ? (route.entryId ?? null) : null;
  const lastEntry = useRef<string | null>(null);
  useEffect(() => {
    lastEntry.current = entryOpen;
  }, [entryOpen]);

  const [signingOut, setSigningOut] = useState(false);
  const doSignOut = async () => {
    setSigningOut(true);
    // First, so the server closing the connection of the ended session is not taken for "it ended elsewhere".
    onCall.stop();
    await signOut().catch(() => undefined);
    onSignedOut(SIGNED_OUT);
  };

  const skipToMain = (event: Event) => {
    event.preventDefault();
    mainRef.current?.focus();
  };

  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">KAP console</span>
        <nav aria-label="Console">
          <ul>
            {screens.map((screen) => (
              <li key={screen.id}>
                <a href={routeHref({ screen: screen.id })} aria-current={screen === current ? 'page' : undefined}>
                  {screen.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-end">
          {onCallRole && (
            <p class={`connection ${onCall.state.connection}`} role="status">
              {onCall.state.connection === 'online'
                ? 'Live'
                : onCall.state.connection === 'connecting'
                  ? 'Connecting…'
                  : 'Reconnecting…'}
            </p>
          )}
          {onCallRole && <AlertsControl />}
          <p class="who">
            <span class="email">{member.email}</span> <span class="role">({ROLE_NAMES[member.role]})</span>
          </p>
          <button type="button" class="quiet" onClick={doSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {!current ? (
          <section class="no-screens" aria-labelledby="no-screens-title">
            {/* Every role has a screen today; a role added later without one lands here. */}
            <h1 id="no-screens-title">Nothing here for your role yet</h1>
            <p>
              You are signed in as {member.email} with the <strong>{ROLE_NAMES[member.role]}</strong> role, which has no screen in
              this console.
            </p>
          </section>
        ) : current.id === 'entries' ? (
          route.screen === 'entries' && (route.entryId || route.newEntry) ? (
            <EntryScreen
              key={`${route.locale}/${route.entryId ?? '(new)'}`}
              locale={route.locale ?? 'en'}
              entryId={route.entryId ?? null}
              member={member}
              publishBy={publishBy}
            />
          ) : (
            <EntriesScreen key={route.locale ?? 'en'} locale={route.locale ?? 'en'} returnTo={lastEntry.current} />
          )
        ) : current.id === 'tester' ? (
          <TesterScreen />
        ) : current.id === 'triage' ? (
          <TriageScreen />
        ) : current.id === 'analytics' ? (
          <AnalyticsScreen isAdmin={member.role === 'admin'} />
        ) : flagId ? (
          <FlagScreen onCall={onCall} flagId={flagId} me={member.id} />
        ) : (
          <QueueScreen onCall={onCall} me={member.id} returnTo={lastFlag.current} />
        )}
      </main>
      <div class="visually-hidden" aria-live="assertive" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}
