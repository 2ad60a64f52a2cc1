/**
 * The pages behind the links Pricehawk emails (confirm an address, reset a password, confirm a new
 * address) and the form that asks for a reset link. A mail app opens them in whatever browser it
 * likes, logged in or not, or logged in as somebody else: each works from its token alone and only
 * touches the session when the token's account is the one logged in (or when it logs in, as a
 * reset does).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, api, type User } from '../api';
import { AuthCard } from '../components/AuthCard';
import { ResendConfirmation } from '../components/EmailBanner';
import { Field } from '../components/Field';
import { ErrorNote, Loading } from '../components/Notice';
import { useAction, useResource, useTitle } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';

const MIN_PASSWORD = 8;

/**
 * One request per token for the pages that act on load. A token works once, and React may run
 * an effect twice (StrictMode in development), so both runs share the first one's answer.
 */
const tokenCalls = new Map<string, Promise<User>>();

function onceFor(key: string, call: () => Promise<User>): Promise<User> {
  let p = tokenCalls.get(key);
  if (!p) {
    p = call();
    tokenCalls.set(key, p);
  }
  return p;
}

const isUsedUp = (err: unknown) => err instanceof ApiError && err.code === 'invalid_token';

/** The token from `?token=`, or '' when the link was cut short (a wrapped line in the email). */
function useToken(): string {
  return useLocation().query.get('token')?.trim() ?? '';
}

function Actions({ children }: { children: ReactNode }) {
  return <div className="auth-actions">{children}</div>;
}

function IncompleteLink({ children }: { children?: ReactNode }) {
  return (
    <AuthCard
      title="This link is incomplete"
      lead="Open the link from the email again, or copy the whole address from the email into your browser."
    >
      {children}
    </AuthCard>
  );
}

export function VerifyEmailPage() {
  useTitle('Confirm your email address');
  const token = useToken();
  const { user, signedIn } = useSession();
  const [result, retry] = useResource(`verify:${token}`, () =>
    token
      ? onceFor(`verify:${token}`, () => api.verifyEmail(token).then((r) => r.user))
      : Promise.reject(new Error('no token')),
  );

  // The banner goes as soon as the logged-in account is the one just confirmed.
  const confirmed = result.status === 'ready' ? result.data : null;
  useEffect(() => {
    if (confirmed && user && user.id === confirmed.id && !user.emailVerified) signedIn(confirmed);
  }, [confirmed, user, signedIn]);

  const resend = user && !user.emailVerified ? <ResendConfirmation email={user.email} /> : null;

  if (!token) return <IncompleteLink>{resend}</IncompleteLink>;
  if (result.status === 'loading') {
    return (
      <AuthCard title="Confirming your address">
        <Loading label="One moment…" />
      </AuthCard>
    );
  }
  if (result.status === 'ready') {
    const own = user?.id === result.data.id;
    return (
      <AuthCard
        title="Your email address is confirmed"
        lead={
          <>
            Price alerts will be emailed to <strong>{result.data.email}</strong>.
          </>
        }
      >
        <Actions>
          {user === null ? (
            <Link to="/login" className="button button-primary button-block">
              Log in
            </Link>
          ) : (
            <Link to="/" className="button button-primary button-block">
              {own ? 'Go to your watchlist' : 'Go to Pricehawk'}
            </Link>
          )}
        </Actions>
      </AuthCard>
    );
  }
  if (isUsedUp(result.error)) {
    // A second click on the same link, or a reload: nothing is wrong if the address is confirmed.
    if (user?.emailVerified) {
      return (
        <AuthCard
          title="Your email address is confirmed"
          lead={
            <>
              Price alerts are emailed to <strong>{user.email}</strong>.
            </>
          }
        >
          <Actions>
            <Link to="/" className="button button-primary button-block">
              Go to your watchlist
            </Link>
          </Actions>
        </AuthCard>
      );
    }
    return (
      <AuthCard
        title="This link does not work any more"
        lead="It may have expired, been used already, or been replaced by a newer link."
      >
        {resend ?? (
          <Actions>
            <p className="muted small">Log in and we will offer to send you a new link.</p>
            <Link to="/login" className="button button-primary button-block">
              Log in
            </Link>
          </Actions>
        )}
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Your address is not confirmed yet">
      <div className="stack">
        <ErrorNote error={result.error} />
        <RetryButton token={`verify:${token}`} retry={retry} />
      </div>
    </AuthCard>
  );
}

function RetryButton({ token, retry }: { token: string; retry: () => void }) {
  return (
    <button
      type="button"
      className="button button-secondary button-block"
      onClick={() => {
        tokenCalls.delete(token);
        retry();
      }}
    >
      Try again
    </button>
  );
}

export function ConfirmEmailPage() {
  useTitle('Confirm your new email address');
  const token = useToken();
  const { user, signedIn } = useSession();
  const [result, retry] = useResource(`confirm:${token}`, () =>
    token
      ? onceFor(`confirm:${token}`, () => api.confirmEmailChange(token).then((r) => r.user))
      : Promise.reject(new Error('no token')),
  );

  const changed = result.status === 'ready' ? result.data : null;
  useEffect(() => {
    if (changed && user && user.id === changed.id && user.email !== changed.email) {
      signedIn(changed);
    }
  }, [changed, user, signedIn]);

  const tryAgain = user ? (
    <Link to="/settings#email" className="button button-primary button-block">
      Change your email address again
    </Link>
  ) : (
    <Link to="/login?next=%2Fsettings" className="button button-primary button-block">
      Log in to try again
    </Link>
  );

  if (!token) return <IncompleteLink />;
  if (result.status === 'loading') {
    return (
      <AuthCard title="Confirming your new address">
        <Loading label="One moment…" />
      </AuthCard>
    );
  }
  if (result.status === 'ready') {
    return (
      <AuthCard
        title="Your email address is changed"
        lead={
          <>
            Your account now uses <strong>{result.data.email}</strong>. We told your old address
            about the change.
          </>
        }
      >
        <Actions>
          {user === null ? (
            <Link to="/login" className="button button-primary button-block">
              Log in
            </Link>
          ) : (
            <Link to="/settings" className="button button-primary button-block">
              Back to your settings
            </Link>
          )}
        </Actions>
      </AuthCard>
    );
  }
  if (isUsedUp(result.error)) {
    return (
      <AuthCard
        title="This link does not work any more"
        lead="It may have expired or been used already. Your account keeps the address it had."
      >
        <Actions>{tryAgain}</Actions>
      </AuthCard>
    );
  }
  const taken = result.error instanceof ApiError && result.error.code === 'email_taken';
  return (
    <AuthCard title="Your address is not changed">
      <div className="stack">
        <ErrorNote error={result.error} />
        {taken ? tryAgain : <RetryButton token={`confirm:${token}`} retry={retry} />}
      </div>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  useTitle('Forgot your password');
  const [email, setEmail] = useState('');
  const send = useAction();

  if (send.done) {
    return (
      <AuthCard title="Check your email">
        <div className="stack">
          <p className="notice notice-success" role="status">
            {send.done}
          </p>
          <p className="muted small">
            The link works once, for a short while. Nothing there? Look in your spam folder, or
            check that you typed the address you signed up with.
          </p>
          <button
            type="button"
            className="button button-secondary button-block"
            onClick={send.reset}
          >
            Send another link
          </button>
        </div>
        <p className="auth-switch">
          <Link to="/login">Back to log in</Link>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Forgot your password?"
      lead="Enter the address you signed up with and we will email you a link to choose a new one."
    >
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run(async () => (await api.requestPasswordReset(email.trim())).message);
        }}
      >
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
        <ErrorNote error={send.error} />
        <button type="submit" className="button button-primary button-block" disabled={send.busy}>
          {send.busy ? 'Sending…' : 'Send reset link'}
        </button>
      </form>
      <p className="auth-switch">
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  useTitle('Choose a new password');
  const token = useToken();
  const { signedIn, flash } = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<{ field: 'new' | 'repeat'; text: string } | null>(null);
  const reset = useAction();

  if (!token) {
    return (
      <IncompleteLink>
        <Actions>
          <Link to="/forgot-password" className="button button-primary button-block">
            Request a new link
          </Link>
        </Actions>
      </IncompleteLink>
    );
  }

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setProblem({ field: 'new', text: `Use at least ${MIN_PASSWORD} characters.` });
      return;
    }
    if (repeat !== password) {
      setProblem({ field: 'repeat', text: 'The two passwords are not the same.' });
      return;
    }
    setProblem(null);
    void reset.run(async () => {
      const { user } = await api.resetPassword(token, password);
      signedIn(user);
      flash(
        'Your new password is set and you are logged in. Every other device was logged out.',
        '/',
      );
      navigate('/', { replace: true });
    });
  }

  const usedUp = isUsedUp(reset.error);
  return (
    <AuthCard
      title="Choose a new password"
      lead="Pick one you do not use anywhere else. Every device logged in to your account will be logged out."
    >
      {usedUp ? (
        <div className="stack">
          <p className="notice notice-error" role="alert">
            This link does not work any more: it may have expired or been used already.
          </p>
          <Link to="/forgot-password" className="button button-primary button-block">
            Request a new link
          </Link>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field
            label="New password"
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            autoFocus
            hint={`At least ${MIN_PASSWORD} characters.`}
            error={problem?.field === 'new' ? problem.text : null}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Field
            label="Repeat new password"
            type="password"
            name="repeat-password"
            autoComplete="new-password"
            required
            error={problem?.field === 'repeat' ? problem.text : null}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <ErrorNote error={reset.error} />
          <button
            type="submit"
            className="button button-primary button-block"
            disabled={reset.busy}
          >
            {reset.busy ? 'Saving…' : 'Set new password'}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
