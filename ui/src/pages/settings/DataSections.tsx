import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { useAction } from '../../hooks';
import { useSession } from '../../session';
import { codeIs, Saved, Section } from './Section';

/** Hands a downloaded file to the browser's own "save" (the API answers it as an attachment). */
function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Long enough for the browser to start reading it.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function DataSection() {
  const download = useAction();
  return (
    <Section
      id="data"
      title="Your data"
      lead="Everything Pricehawk stores about you, as one JSON file: your profile, watches and alerts, sessions, API tokens (never their secrets) and the email we sent you."
    >
      <div className="form-footer">
        <button
          type="button"
          className="button button-secondary"
          disabled={download.busy}
          onClick={() =>
            void download.run(async () => {
              const { blob, filename } = await api.exportData();
              saveFile(blob, filename);
              return `Saved as ${filename}.`;
            })
          }
        >
          {download.busy ? 'Preparing…' : 'Download my data'}
        </button>
        <Saved text={download.done} />
      </div>
      <ErrorNote error={download.error} />
    </Section>
  );
}

const CONFIRMATION = 'delete my account';

export function DeleteSection() {
  const { signedOut } = useSession();
  const [password, setPassword] = useState('');
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const remove = useAction();

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (typed.trim().toLowerCase() !== CONFIRMATION) {
      setProblem(`Type “${CONFIRMATION}” to confirm.`);
      return;
    }
    setProblem(null);
    void remove.run(async () => {
      await api.deleteAccount(password);
      signedOut(
        '/signup',
        'Your account is deleted, with your watchlist, alerts and everything else about you.',
      );
    });
  }

  const wrongPassword = codeIs(remove.error, 'invalid_password');
  return (
    <Section
      id="delete"
      title="Delete account"
      danger
      lead="This deletes your account, watchlist, alerts, sessions and API tokens for good. It cannot be undone. Download your data first if you want to keep it."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          error={wrongPassword ? 'That password is not right.' : null}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Field
          label={`Type “${CONFIRMATION}” to confirm`}
          type="text"
          name="confirmation"
          autoComplete="off"
          spellCheck={false}
          required
          error={problem}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <ErrorNote error={wrongPassword ? null : remove.error} />
        <div className="form-footer">
          <button type="submit" className="button button-danger-solid" disabled={remove.busy}>
            {remove.busy ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </Section>
  );
}
