import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, signIn } from './api.js';
import type { Session } from './protocol.js';

interface Props {
  /** Why the person is here again (signed out, session ended), shown above the form. */
  notice: string | null;
  onSignedIn(session: Session): void;
}

function problem(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'The email or password is not right.';
    if (err.status === 429) return 'Too many failed attempts from this address. Wait a while and try again.';
    if (err.status === 400) return 'Enter your email and password.';
    return err.message;
  }
  return 'The server could not be reached. Check the connection and try again.';
}

/** The sign-in page (the staff accounts of `npm run staff`). */
export function SignIn({ notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in — KAP console';
    emailRef.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(email.trim(), password);
      setPassword('');
      onSignedIn(session);
    } catch (err) {
      setBusy(false);
      setError(problem(err));
      passwordRef.current?.focus();
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>KAP staff console</h1>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined} noValidate>
        <div class="field">
          <label for="email">Email</label>
          <input
            id="email"
            ref={emailRef}
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            ref={passwordRef}
            type="password"
            name="password"
            autocomplete="current-password"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'sign-in-error' : undefined}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        {error && (
          <p class="error" id="sign-in-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">
        Accounts are made by an administrator with <code>npm run staff -- add</code>.
      </p>
    </main>
  );
}
