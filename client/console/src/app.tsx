import { useCallback, useEffect, useState } from 'preact/hooks';
import { currentSession } from './api.js';
import { SESSION_ENDED } from './messages.js';
import type { Session } from './protocol.js';
import { Shell } from './shell.js';
import { SignIn } from './sign-in.js';

export type Auth =
  { state: 'loading' } | { state: 'signed-out'; notice: string | null } | { state: 'signed-in'; session: Session };

/** The console: the sign-in page until there is a session, then the shell with the screens the role may use. */
export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });

  useEffect(() => {
    currentSession()
      .then((session) => setAuth(session ? { state: 'signed-in', session } : { state: 'signed-out', notice: null }))
      .catch(() =>
        setAuth({ state: 'signed-out', notice: 'The server could not be reached. Check the connection and sign in again.' }),
      );
  }, []);

  const signedOut = useCallback((notice: string | null) => setAuth({ state: 'signed-out', notice }), []);
  const recheck = useCallback(() => {
    currentSession()
      .then((session) => (session ? setAuth({ state: 'signed-in', session }) : signedOut(SESSION_ENDED)))
      .catch(() => signedOut(SESSION_ENDED));
  }, [signedOut]);

  if (auth.state === 'loading') return <p class="boot">Loading the console…</p>;
  if (auth.state === 'signed-out')
    return <SignIn notice={auth.notice} onSignedIn={(session) => setAuth({ state: 'signed-in', session })} />;
  return <Shell key={auth.session.member.id} session={auth.session} onSignedOut={signedOut} onRoleRefused={recheck} />;
}
