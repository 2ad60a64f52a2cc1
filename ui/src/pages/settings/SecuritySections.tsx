import { useState, type FormEvent } from 'react';
import { api, type User } from '../../api';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { useAction } from '../../hooks';
import { codeIs, Saved, Section } from './Section';

const MIN_PASSWORD = 8;

/** Password managers file a changed password under the account named by a username field. */
function UsernameForManagers({ email }: { email: string }) {
  return (
    <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
  );
}

export function PasswordSection({ user }: { user: User }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<{ field: 'new' | 'repeat'; text: string } | null>(null);
  const change = useAction();

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (next.length < MIN_PASSWORD) {
      setProblem({ field: 'new', text: `Use at least ${MIN_PASSWORD} characters.` });
      return;
    }
    if (repeat !== next) {
      setProblem({ field: 'repeat', text: 'The two new passwords are not the same.' });
      return;
    }
    setProblem(null);
    void change.run(async () => {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      return 'Password changed. Every other device was logged out.';
    });
  }

  const wrongCurrent = codeIs(change.error, 'invalid_password');
  return (
    <Section
      id="password"
      title="Password"
      lead="Changing it logs out every other device where you are logged in."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <UsernameForManagers email={user.email} />
        <Field
          label="Current password"
          type="password"
          name="current-password"
          autoComplete="current-password"
          required
          error={wrongCurrent ? 'That is not your current password.' : null}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <Field
          label="New password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={problem?.field === 'new' ? problem.text : null}
          value={next}
          onChange={(e) => setNext(e.target.value)}
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
        <ErrorNote error={wrongCurrent ? null : change.error} />
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={change.busy}>
            {change.busy ? 'Changing…' : 'Change password'}
          </button>
          <Saved text={change.done} />
        </div>
      </form>
    </Section>
  );
}

export function EmailSection({ user }: { user: User }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = useAction();

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
      setProblem('Enter the new address, such as you@example.com.');
      return;
    }
    if (address.toLowerCase() === user.email.toLowerCase()) {
      setProblem('That is already your address.');
      return;
    }
    setProblem(null);
    void change.run(async () => {
      const { message } = await api.changeEmail(address, password);
      setEmail('');
      setPassword('');
      return message;
    });
  }

  const taken = codeIs(change.error, 'email_taken');
  const wrongPassword = codeIs(change.error, 'invalid_password');
  return (
    <Section
      id="email"
      title="Email address"
      lead={
        <>
          Alerts and account email go to <strong className="break">{user.email}</strong>{' '}
          {user.emailVerified ? (
            <span className="badge badge-good">Confirmed</span>
          ) : (
            <span className="badge badge-warn">Not confirmed</span>
          )}
        </>
      }
    >
      {change.done ? (
        <div className="stack">
          <p className="notice notice-success" role="status">
            {change.done} Follow the link in it to make the change; until then your account keeps{' '}
            {user.email}.
          </p>
          <div>
            <button type="button" className="button button-secondary" onClick={change.reset}>
              Use a different address
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            name="new-email"
            autoComplete="email"
            required
            hint="Your new address. We email it a link; the change takes effect when you follow it."
            error={problem ?? (taken ? 'Another account uses this address.' : null)}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            hint="Your current password, to show it is you."
            error={wrongPassword ? 'That password is not right.' : null}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <ErrorNote error={taken || wrongPassword ? null : change.error} />
          <div className="form-footer">
            <button type="submit" className="button button-primary" disabled={change.busy}>
              {change.busy ? 'Sending…' : 'Change email'}
            </button>
          </div>
        </form>
      )}
    </Section>
  );
}
