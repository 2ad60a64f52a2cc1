import { useId, useRef, useState, type FormEvent } from 'react';
import { api, errorMessage, type Channel } from '../../api';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { useAction } from '../../hooks';
import { KINDS, URL_FORMS, type UrlKind } from './channel-kinds';
import { codeIs } from './Section';

/** The server's answers about a URL it cannot use: shown on the field, in its words. */
const URL_ERRORS = ['channel_url_invalid', 'channel_url_scheme', 'channel_url_private'];

/**
 * Sets up (or changes) a channel configured by one URL: webhook, Telegram, Discord, Slack, ntfy.
 * The saved URL is never shown again (it holds the token), so changing means entering it anew.
 */
export function UrlChannelForm({
  kind,
  channel,
  onSaved,
  onCancel,
}: {
  kind: UrlKind;
  channel: Channel | null;
  onSaved: (channel: Channel, reveal: Record<string, string> | undefined) => void;
  onCancel: (() => void) | undefined;
}) {
  const id = useId();
  const form = URL_FORMS[kind];
  const [url, setUrl] = useState('');
  const [rotate, setRotate] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction();
  const urlError = problem ?? (codeIs(save.error, ...URL_ERRORS) ? errorMessage(save.error) : null);

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const trimmed = url.trim();
    if (!trimmed) {
      setProblem(`Paste the URL, such as ${form.placeholder}`);
      return;
    }
    setProblem(null);
    void save.run(async () => {
      const config =
        kind === 'webhook' && rotate ? { url: trimmed, rotateSecret: true } : { url: trimmed };
      // A change keeps the channel's on/off state; a new channel starts on.
      const res = await api.saveChannel(kind, { config, enabled: channel?.enabled ?? true });
      setUrl('');
      onSaved(res.channel, res.reveal);
    });
  }

  return (
    <form className="stack channel-form" onSubmit={submit} noValidate>
      <div className="channel-help">
        <p className="small">{form.steps}</p>
        <p className="small field-label">Accepted forms</p>
        <ul className="channel-examples small">
          {form.forms.map((f) => (
            <li key={f.example}>
              <code className="break">{f.example}</code> <span className="muted">— {f.means}</span>
            </li>
          ))}
        </ul>
      </div>
      <Field
        label={form.fieldLabel}
        type="text"
        inputMode="url"
        name={`${kind}-url`}
        autoComplete="off"
        spellCheck={false}
        maxLength={2000}
        placeholder={form.placeholder}
        hint={
          channel
            ? 'Enter the whole URL again: the saved one is not shown, since it works like a password.'
            : 'Treat it like a password: anyone with it can post as this channel.'
        }
        error={urlError}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      {kind === 'webhook' && channel && (
        <div className="check">
          <input
            id={`${id}-rotate`}
            type="checkbox"
            checked={rotate}
            onChange={(e) => setRotate(e.target.checked)}
            aria-describedby={`${id}-rotate-hint`}
          />
          <label htmlFor={`${id}-rotate`}>Make a new signing secret</label>
          <p className="field-hint" id={`${id}-rotate-hint`}>
            The old secret stops working at once; requests are signed with the new one.
          </p>
        </div>
      )}
      {!codeIs(save.error, ...URL_ERRORS) && <ErrorNote error={save.error} />}
      <div className="form-footer">
        <button type="submit" className="button button-primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : `Save ${KINDS[kind].label}`}
        </button>
        {onCancel && (
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The webhook's signing secret, once: the server shows it only in the answer that made it. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard access: select the text so a keyboard shortcut copies it.
      input.current?.select();
      setCopied('manual');
    }
  }

  return (
    <div className="token-secret" role="region" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="token-secret-title">
        Copy the signing secret now. It will not be shown again.
      </p>
      <label htmlFor={id} className="field-label">
        Signing secret
      </label>
      <div className="copy-row">
        <input
          ref={input}
          id={id}
          className="input mono"
          readOnly
          value={secret}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'yes'
          ? 'The secret is on your clipboard.'
          : copied === 'manual'
            ? 'Your browser did not allow copying: the secret is selected, press Ctrl+C (⌘C on a Mac).'
            : 'Your receiver verifies each request’s webhook-signature header with it. Lost it? Change the settings and make a new one.'}
      </p>
      <div>
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}
