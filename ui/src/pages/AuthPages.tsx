import { useState, type FormEvent } from 'react';
import { ApiError, api, type User } from '../api';
import { AuthCard } from '../components/AuthCard';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { canonicalLocale, isTimeZone } from '../format';
import { useTitle } from '../hooks';
import { Link, navigate, safeNext, useLocation } from '../router';
import { useSession } from '../session';

function useAuthSubmit(send: () => Promise<{ user: User }>) {
  const { signedIn } = useSession();
  const { query } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const next = safeNext(query.get('next'));

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await send();
      signedIn(user);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return { busy, error, setError, submit, next };
}

/**
 * This browser's time zone and language, sent with the sign-up: quiet hours and every date on
 * screen depend on them (they can be changed in Settings).
 */
function deviceDefaults(): { timeZone?: string; locale?: string } {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const locale = canonicalLocale(navigator.language);
  return {
    ...(timeZone && isTimeZone(timeZone) ? { timeZone } : {}),
    ...(locale ? { locale } : {}),
  };
}

export function LoginPage() {
  useTitle('Log in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit, next } = useAuthSubmit(() =>
    api.login({ email: email.trim(), password }),
  );
  const signupHref = next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`;

  return (
    <AuthCard title="Log in" lead="Welcome back. Your watchlist is waiting.">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p className="auth-forgot">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <ErrorNote error={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className="auth-switch">
        New to Pricehawk? <Link to={signupHref}>Create an account</Link>
      </p>
    </AuthCard>
  );
}

const MIN_PASSWORD = 8;

export function SignupPage() {
  useTitle('Sign up');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const { busy, error, setError, submit, next } = useAuthSubmit(async () => {
    return api.signup({ name: name.trim(), email: email.trim(), password, ...deviceDefaults() });
  });
  const loginHref = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
  const taken = error instanceof ApiError && error.code === 'email_taken';

  function onSubmit(e: FormEvent<HTMLFormElement>): void {
    if (password.length < MIN_PASSWORD) {
      e.preventDefault();
      setTooShort(true);
      setError(null);
      return;
    }
    setTooShort(false);
    void submit(e);
  }

  return (
    <AuthCard title="Create your account" lead="Track prices and get an email when they drop.">
      <form className="stack" onSubmit={onSubmit}>
        <Field
          label="Name"
          type="text"
          name="name"
          autoComplete="name"
          required
          autoFocus
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={tooShort ? `Use at least ${MIN_PASSWORD} characters.` : null}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorNote error={error} />
        {taken && (
          <p className="auth-switch">
            <Link to={loginHref}>Log in instead</Link>
          </p>
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating account…' : 'Sign up'}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={loginHref}>Log in</Link>
      </p>
    </AuthCard>
  );
}
