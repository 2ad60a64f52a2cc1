import { useCallback, useId, useState, type ReactNode } from 'react';
import {
  api,
  ApiError,
  CHANNEL_KINDS,
  sentence,
  type Channel,
  type ChannelKind,
  type ChannelTestResult,
  type ChannelsOverview,
} from '../../api';
import { ErrorNote, Loading } from '../../components/Notice';
import { formatDateTime } from '../../format';
import { useAction, useResource } from '../../hooks';
import { useSession } from '../../session';
import { isUrlKind, KINDS } from './channel-kinds';
import { SecretOnce, UrlChannelForm } from './ChannelForms';
import { PushDevices } from './PushDevices';
import { Section } from './Section';
import { SmsSetup } from './SmsSetup';

/**
 * Where alerts go besides the inbox: every channel this server offers, each set up, turned on or
 * off, tested and removed on its own. Settings never come back from the server (they hold
 * tokens), only a summary; a webhook's signing secret is shown once, right after it is made.
 */
export function ChannelsSection() {
  const [overview, reload, update] = useResource('channels', () => api.channels());

  const setChannel = useCallback(
    (kind: ChannelKind, channel: Channel | null) =>
      update((o) => ({
        ...o,
        channels: [...o.channels.filter((c) => c.kind !== kind), ...(channel ? [channel] : [])],
      })),
    [update],
  );

  return (
    <Section
      id="channels"
      title="Alert channels"
      lead="Every alert is in your inbox. Choose where else it goes: each alert is sent to every channel that is on."
    >
      {overview.status === 'loading' && <Loading label="Loading channels…" />}
      {overview.status === 'failed' && <ErrorNote error={overview.error} />}
      {overview.status === 'ready' && (
        <ul className="channel-list">
          {kindsToShow(overview.data).map((kind) => (
            <li key={kind}>
              <ChannelCard
                kind={kind}
                offered={overview.data.available.includes(kind)}
                channel={overview.data.channels.find((c) => c.kind === kind) ?? null}
                vapidPublicKey={overview.data.vapidPublicKey}
                onChange={(c) => setChannel(kind, c)}
                onReload={reload}
              />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** What the server offers, plus anything set up earlier that it no longer offers (to remove). */
function kindsToShow(o: ChannelsOverview): ChannelKind[] {
  return CHANNEL_KINDS.filter(
    (k) => o.available.includes(k) || o.channels.some((c) => c.kind === k),
  );
}

function StatusBadge({ kind, channel }: { kind: ChannelKind; channel: Channel | null }) {
  const { user } = useSession();
  if (kind === 'email') {
    const on = user?.notificationPrefs.channels.email.enabled ?? channel?.enabled ?? false;
    if (!on) return <span className="badge badge-muted">Off</span>;
    return user?.emailVerified === false ? (
      <span className="badge badge-warn">Address not confirmed</span>
    ) : (
      <span className="badge badge-good">On</span>
    );
  }
  if (!channel) return <span className="badge badge-muted">Not set up</span>;
  if (!channel.verified) return <span className="badge badge-warn">Number not confirmed</span>;
  return channel.enabled ? (
    <span className="badge badge-good">On</span>
  ) : (
    <span className="badge badge-muted">Off</span>
  );
}

function ChannelCard({
  kind,
  offered,
  channel,
  vapidPublicKey,
  onChange,
  onReload,
}: {
  kind: ChannelKind;
  offered: boolean;
  channel: Channel | null;
  vapidPublicKey: string;
  onChange: (channel: Channel | null) => void;
  onReload: () => void;
}) {
  const headingId = useId();
  const info = KINDS[kind];
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  let body: ReactNode = null;
  if (!offered) {
    body = (
      <p className="notice notice-warn">
        This server no longer sends alerts by {info.label}. Remove the channel to delete its
        settings.
      </p>
    );
  } else if (kind === 'email') {
    body = <EmailNote />;
  } else if (kind === 'webpush') {
    body = (
      <PushDevices vapidPublicKey={vapidPublicKey} label={info.label} onDevicesChanged={onReload} />
    );
  } else if ((kind === 'sms' || isUrlKind(kind)) && !channel && !editing) {
    // Set-up forms open one at a time, so the list stays short.
    body = (
      <div>
        <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
          Set up {info.label}
        </button>
      </div>
    );
  } else if (kind === 'sms') {
    if (!channel || !channel.verified || editing) {
      body = (
        <SmsSetup
          changing={channel !== null && channel.verified}
          onVerified={(c) => {
            setEditing(false);
            onChange(c);
          }}
          onCancel={editing ? () => setEditing(false) : undefined}
        />
      );
    }
  } else if (isUrlKind(kind) && (!channel || editing)) {
    body = (
      <UrlChannelForm
        kind={kind}
        channel={channel}
        onSaved={(c, reveal) => {
          setEditing(false);
          setSecret(reveal?.secret ?? null);
          onChange(c);
        }}
        onCancel={editing ? () => setEditing(false) : undefined}
      />
    );
  }

  // Push is "set up" by its devices, and paused as a whole here; email is set up by the account.
  const configurable = isUrlKind(kind) || kind === 'sms';
  return (
    <section className="channel" aria-labelledby={headingId}>
      <div className="channel-head">
        <div className="channel-title">
          <h3 id={headingId}>{info.label}</h3>
          <StatusBadge kind={kind} channel={channel} />
        </div>
        <p className="muted small">{info.description}</p>
        {channel?.summary && kind !== 'email' && (
          <p className="channel-summary break">{channel.summary}</p>
        )}
      </div>
      {channel?.lastError && (
        <div className="notice notice-error channel-error">
          <p>
            <strong>Alerts here failed for good</strong>
            {channel.lastErrorAt && (
              <>
                {' '}
                on <time dateTime={channel.lastErrorAt}>{formatDateTime(channel.lastErrorAt)}</time>
              </>
            )}
            : <span className="break">{channel.lastError}</span>
          </p>
          <p className="small">
            {configurable
              ? 'Fix the settings (change them below), then send a test.'
              : 'Send a test to see whether it works again.'}
          </p>
        </div>
      )}
      {secret && kind === 'webhook' && (
        <SecretOnce secret={secret} onDone={() => setSecret(null)} />
      )}
      {body}
      {channel && (
        <ChannelActions
          kind={kind}
          label={info.label}
          channel={channel}
          offered={offered}
          canEdit={configurable && offered && !editing && (kind !== 'sms' || channel.verified)}
          onEdit={() => setEditing(true)}
          onChange={onChange}
        />
      )}
    </section>
  );
}

/** Email is on or off in the notification preferences above (with quiet hours): one switch. */
function EmailNote() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <p className="small">
      To <strong className="break">{user.email}</strong>.{' '}
      {user.emailVerified ? null : 'Nothing is emailed until you confirm the address. '}
      Turn email alerts on or off under <a href="#notifications">Notifications</a>.
    </p>
  );
}

function ChannelActions({
  kind,
  label,
  channel,
  offered,
  canEdit,
  onEdit,
  onChange,
}: {
  kind: ChannelKind;
  label: string;
  channel: Channel;
  offered: boolean;
  canEdit: boolean;
  onEdit: () => void;
  onChange: (channel: Channel | null) => void;
}) {
  const id = useId();
  const toggle = useAction();
  const remove = useAction();
  const test = useAction();
  const [tested, setTested] = useState<ChannelTestResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The box follows the click at once; the server's answer then confirms (or undoes) it.
  const [wanted, setWanted] = useState<boolean | null>(null);
  // Email is switched in the preferences; an unconfirmed number has nothing to switch on yet.
  const switchable = offered && kind !== 'email' && channel.verified;

  return (
    <div className="channel-actions-block">
      <div className="channel-actions">
        {switchable && (
          <div className="check">
            <input
              id={`${id}-on`}
              type="checkbox"
              checked={wanted ?? channel.enabled}
              disabled={toggle.busy}
              onChange={(e) => {
                const enabled = e.target.checked;
                setWanted(enabled);
                void toggle.run(async () => {
                  try {
                    onChange((await api.saveChannel(kind, { enabled })).channel);
                  } finally {
                    setWanted(null);
                  }
                });
              }}
            />
            <label htmlFor={`${id}-on`}>Send alerts here</label>
          </div>
        )}
        {offered && (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={test.busy}
            onClick={() =>
              void test.run(async () => {
                setTested(null);
                setTested(await api.testChannel(kind));
              })
            }
          >
            {test.busy ? 'Sending…' : 'Send a test'}
          </button>
        )}
        {canEdit && (
          <button type="button" className="button button-ghost button-small" onClick={onEdit}>
            {kind === 'sms' ? 'Change number' : 'Change settings'}
          </button>
        )}
        {kind !== 'email' &&
          kind !== 'webpush' &&
          (confirming ? (
            <div className="confirm-inline" role="group" aria-label={`Remove ${label}?`}>
              <span className="small">Its settings are deleted; alerts stop going there.</span>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={remove.busy}
                onClick={() =>
                  void remove.run(async () => {
                    try {
                      await api.removeChannel(kind);
                    } catch (err) {
                      // Already gone (removed in another tab): the outcome wanted.
                      if (!(err instanceof ApiError && err.status === 404)) throw err;
                    }
                    onChange(null);
                  })
                }
              >
                Remove
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
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          ))}
      </div>
      <div className="channel-test" role="status">
        {tested && <TestOutcome result={tested} />}
      </div>
      <ErrorNote error={toggle.error ?? remove.error ?? test.error} />
    </div>
  );
}

/** What "Send a test" did: delivered, or the provider's error and whether it lasts. */
function TestOutcome({ result }: { result: ChannelTestResult }) {
  if (result.ok) {
    return (
      <p className="saved">
        <span aria-hidden="true">✓ </span>Test sent. It should arrive in a moment.
      </p>
    );
  }
  return (
    <div className="notice notice-error">
      <p>
        <strong>The test failed:</strong> {sentence(result.message ?? 'no reason given')}
        {result.code && <span className="muted small"> ({result.code})</span>}
      </p>
      <p className="small">
        {result.permanent
          ? 'This will keep failing until the settings are fixed.'
          : 'This may be temporary: try again in a little while.'}
      </p>
    </div>
  );
}
