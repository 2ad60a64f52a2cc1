import { useId, useRef, useState, type FormEvent } from 'react';
import { api, type ApiToken, type TokenScope } from '../../api';
import { Field } from '../../components/Field';
import { EmptyState, ErrorNote, Loading } from '../../components/Notice';
import { formatDateTime, timeAgo } from '../../format';
import { useAction, useNow, useResource } from '../../hooks';
import { Section } from './Section';

const SCOPES: ReadonlyArray<{ value: TokenScope; label: string; hint: string }> = [
  { value: 'read', label: 'Read only', hint: 'Can read your watchlist, products and alerts.' },
  {
    value: 'write',
    label: 'Read and write',
    hint: 'Can also add products and change or delete watches.',
  },
];

export function TokensSection() {
  const [tokens, reload, update] = useResource('tokens', () => api.tokens().then((r) => r.tokens));
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const now = useNow();

  async function revoke(t: ApiToken): Promise<void> {
    setError(null);
    update((list) => list.filter((x) => x.id !== t.id));
    try {
      await api.revokeToken(t.id);
    } catch (err) {
      setError(err);
      reload();
    }
  }

  return (
    <Section
      id="tokens"
      title="API tokens"
      lead={
        <>
          For scripts and other apps: send a token as <code>Authorization: Bearer …</code> to the{' '}
          <a href="/api/openapi.json">Pricehawk API</a>. No token can change your password, email or
          sessions.
        </>
      }
    >
      {created && (
        <NewToken name={created.name} secret={created.secret} onDone={() => setCreated(null)} />
      )}
      {tokens.status === 'loading' && <Loading label="Loading tokens…" />}
      {tokens.status === 'failed' && <ErrorNote error={tokens.error} />}
      {tokens.status === 'ready' &&
        (tokens.data.length === 0 ? (
          <EmptyState title="No API tokens">
            <p>Create one below when a script needs to reach your account.</p>
          </EmptyState>
        ) : (
          <ul className="settings-list">
            {tokens.data.map((t) => (
              <TokenRow key={t.id} token={t} now={now} onRevoke={() => void revoke(t)} />
            ))}
          </ul>
        ))}
      <ErrorNote error={error} />
      <CreateToken
        onCreated={(secret, token) => {
          setCreated({ name: token.name, secret });
          update((list) => [token, ...list]);
        }}
      />
    </Section>
  );
}

function TokenRow({
  token,
  now,
  onRevoke,
}: {
  token: ApiToken;
  now: number;
  onRevoke: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="settings-item">
      <div className="settings-item-main">
        <p className="settings-item-title">
          <span className="break">{token.name}</span>{' '}
          <span className={token.scope === 'write' ? 'badge badge-warn' : 'badge badge-muted'}>
            {token.scope === 'write' ? 'Read and write' : 'Read only'}
          </span>
        </p>
        <p className="muted small">
          Created <time dateTime={token.createdAt}>{formatDateTime(token.createdAt)}</time>
          {' · '}
          {token.lastUsedAt ? (
            <>
              last used{' '}
              <time dateTime={token.lastUsedAt} title={formatDateTime(token.lastUsedAt)}>
                {timeAgo(token.lastUsedAt, now)}
              </time>
            </>
          ) : (
            'never used'
          )}
        </p>
      </div>
      {confirming ? (
        <div className="confirm-inline" role="group" aria-label={`Revoke ${token.name}?`}>
          <span className="small">Scripts using it stop working at once.</span>
          <button type="button" className="button button-danger button-small" onClick={onRevoke}>
            Revoke
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => setConfirming(false)}
          >
            Keep
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button-ghost button-small"
          aria-label={`Revoke ${token.name}`}
          onClick={() => setConfirming(true)}
        >
          Revoke
        </button>
      )}
    </li>
  );
}

/** The secret, once: the server keeps only its hash. */
function NewToken({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard access (plain http on another host, or permission refused): select the text
      // so a keyboard shortcut copies it.
      input.current?.select();
      setCopied('manual');
    }
  }

  return (
    <div className="token-secret" role="region" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="token-secret-title">
        Copy your new token now. It will not be shown again.
      </p>
      <label htmlFor={id} className="field-label">
        New token <span className="break">“{name}”</span>
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
          ? 'The token is on your clipboard.'
          : copied === 'manual'
            ? 'Your browser did not allow copying: the token is selected, press Ctrl+C (⌘C on a Mac).'
            : 'Pricehawk stores only a fingerprint of it. If you lose it, revoke it and create another.'}
      </p>
      <div>
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function CreateToken({ onCreated }: { onCreated: (secret: string, token: ApiToken) => void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [problem, setProblem] = useState<string | null>(null);
  const create = useAction();

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setProblem('Name the token after what will use it, such as “home server”.');
      return;
    }
    setProblem(null);
    void create.run(async () => {
      const { token, apiToken } = await api.createToken(trimmed, scope);
      setName('');
      onCreated(token, apiToken);
    });
  }

  return (
    <form className="stack token-create" onSubmit={submit} noValidate>
      <h3>Create a token</h3>
      <Field
        label="Token name"
        type="text"
        name="token-name"
        autoComplete="off"
        maxLength={100}
        required
        hint="So you recognise it later, such as “home server” or “price script”."
        error={problem}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <fieldset className="choice-group">
        <legend className="field-label">Access</legend>
        {SCOPES.map((s) => (
          <div key={s.value} className="check">
            <input
              id={`${id}-${s.value}`}
              type="radio"
              name={`${id}-scope`}
              value={s.value}
              checked={scope === s.value}
              onChange={() => setScope(s.value)}
              aria-describedby={`${id}-${s.value}-hint`}
            />
            <label htmlFor={`${id}-${s.value}`}>{s.label}</label>
            <p className="field-hint" id={`${id}-${s.value}-hint`}>
              {s.hint}
            </p>
          </div>
        ))}
      </fieldset>
      <ErrorNote error={create.error} />
      <div className="form-footer">
        <button type="submit" className="button button-primary" disabled={create.busy}>
          {create.busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
