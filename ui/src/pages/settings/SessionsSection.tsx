import { useState } from 'react';
import { api, type AccountSession } from '../../api';
import { ErrorNote, Loading } from '../../components/Notice';
import { formatDateTime, timeAgo } from '../../format';
import { useAction, useNow, useResource } from '../../hooks';
import { useSession } from '../../session';
import { Saved, Section } from './Section';

export function SessionsSection() {
  const { signedOut } = useSession();
  const [sessions, reload, update] = useResource('sessions', () =>
    api.sessions().then((r) => r.sessions),
  );
  const [ending, setEnding] = useState<number | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const everywhere = useAction();
  const now = useNow();

  async function end(s: AccountSession): Promise<void> {
    setEnding(s.id);
    setError(null);
    setEnded(null);
    try {
      await api.endSession(s.id);
      if (s.current) {
        signedOut('/login', 'You are logged out.');
        return;
      }
      update((list) => list.filter((x) => x.id !== s.id));
      setEnded(`${s.device} is logged out.`);
    } catch (err) {
      setError(err);
      reload();
    } finally {
      setEnding(null);
    }
  }

  return (
    <Section
      id="sessions"
      title="Sessions"
      lead="The browsers and devices logged in to your account. Log out any you do not recognise."
    >
      {sessions.status === 'loading' && <Loading label="Loading sessions…" />}
      {sessions.status === 'failed' && <ErrorNote error={sessions.error} />}
      {sessions.status === 'ready' && (
        <ul className="settings-list">
          {sessions.data.map((s) => (
            <li key={s.id} className="settings-item">
              <div className="settings-item-main">
                <p className="settings-item-title">
                  {s.device} {s.current && <span className="badge badge-info">This device</span>}
                </p>
                <p className="muted small">
                  {s.current ? (
                    'Active now'
                  ) : (
                    <>
                      Last used{' '}
                      <time dateTime={s.lastUsedAt} title={formatDateTime(s.lastUsedAt)}>
                        {timeAgo(s.lastUsedAt, now)}
                      </time>
                    </>
                  )}
                  {' · logged in '}
                  <time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time>
                  {s.ip && <> · {s.ip}</>}
                </p>
              </div>
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={ending === s.id}
                aria-label={`Log out ${s.device}${s.current ? ' (this device)' : ''}`}
                onClick={() => void end(s)}
              >
                {ending === s.id ? 'Logging out…' : 'Log out'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Saved text={ended} />
      <ErrorNote error={error} />
      <div className="settings-footer">
        <p className="muted small">
          Lost a device, or logged in on a computer that is not yours? Log out everywhere, this
          device included; API tokens keep working.
        </p>
        <button
          type="button"
          className="button button-danger"
          disabled={everywhere.busy}
          onClick={() =>
            void everywhere.run(async () => {
              await api.endAllSessions();
              signedOut('/login', 'You are logged out on every device.');
            })
          }
        >
          {everywhere.busy ? 'Logging out…' : 'Log out everywhere'}
        </button>
      </div>
      <ErrorNote error={everywhere.error} />
    </Section>
  );
}
