import { useEffect, useState } from 'react';
import { api, ApiError, type PushDevice } from '../../api';
import { EmptyState, ErrorNote, Loading } from '../../components/Notice';
import { formatDateTime, timeAgo } from '../../format';
import { useAction, useNow, useResource } from '../../hooks';
import {
  currentSubscription,
  DENIED_TEXT,
  INSECURE_TEXT,
  PushProblem,
  pushSupport,
  rememberDevice,
  rememberedDevice,
  subscribeThisBrowser,
  UNSUPPORTED_TEXT,
  unsubscribeThisBrowser,
} from './push';

/** "Firefox on Android", read from a user agent; null when it names nothing we know. */
export function deviceName(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /SamsungBrowser\//.test(ua)
        ? 'Samsung Internet'
        : /Firefox\/|FxiOS\//.test(ua)
          ? 'Firefox'
          : /Chrome\/|CriOS\/|Chromium\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os;
}

type Here =
  | { readonly state: 'checking' }
  | { readonly state: 'unsupported'; readonly text: string }
  | {
      readonly state: 'ready';
      readonly permission: NotificationPermission;
      readonly endpoint: string | null;
    };

/**
 * Web push: turn it on in this browser (permission, service worker, subscription with the
 * server's key), and the list of every subscribed browser with a way to remove each.
 */
export function PushDevices({
  vapidPublicKey,
  label,
  onDevicesChanged,
}: {
  vapidPublicKey: string;
  label: string;
  /** The channel's summary ("2 devices") changes with the list. */
  onDevicesChanged: () => void;
}) {
  const [devices, reload, update] = useResource('push-devices', () =>
    api.pushDevices().then((r) => r.subscriptions),
  );
  const [here, setHere] = useState<Here>({ state: 'checking' });
  const [thisId, setThisId] = useState<number | null>(() => rememberedDevice());
  const [error, setError] = useState<unknown>(null);
  const enable = useAction();
  const disable = useAction();
  const now = useNow();

  useEffect(() => {
    let live = true;
    const support = pushSupport();
    if (support !== 'supported') {
      setHere({
        state: 'unsupported',
        text: support === 'insecure' ? INSECURE_TEXT : UNSUPPORTED_TEXT,
      });
      return;
    }
    currentSubscription().then(
      (sub) =>
        live &&
        setHere({
          state: 'ready',
          permission: Notification.permission,
          endpoint: sub?.endpoint ?? null,
        }),
      () =>
        live && setHere({ state: 'ready', permission: Notification.permission, endpoint: null }),
    );
    return () => {
      live = false;
    };
  }, []);

  const list = devices.status === 'ready' ? devices.data : [];
  // This browser receives push when it holds a subscription the server still has.
  const onHere =
    here.state === 'ready' &&
    here.endpoint !== null &&
    thisId !== null &&
    list.some((d) => d.id === thisId);

  function turnOn(): void {
    setError(null);
    void enable.run(async () => {
      try {
        const json = await subscribeThisBrowser(vapidPublicKey);
        const { subscription } = await api.addPushDevice(json);
        rememberDevice(subscription.id);
        setThisId(subscription.id);
        setHere({ state: 'ready', permission: 'granted', endpoint: json.endpoint ?? null });
        update((l) => [subscription, ...l.filter((d) => d.id !== subscription.id)]);
        onDevicesChanged();
        return 'Push notifications are on in this browser. Send a test to see one.';
      } catch (err) {
        if (err instanceof PushProblem && err.code === 'denied') {
          setHere({ state: 'ready', permission: 'denied', endpoint: null });
        }
        throw err;
      }
    });
  }

  function turnOffHere(): void {
    setError(null);
    void disable.run(async () => {
      const endpoint = await unsubscribeThisBrowser();
      await forget(endpoint ? { endpoint } : thisId !== null ? { id: thisId } : null);
      rememberDevice(null);
      setThisId(null);
      setHere((h) => (h.state === 'ready' ? { ...h, endpoint: null } : h));
      reload();
      onDevicesChanged();
      return 'Push notifications are off in this browser.';
    });
  }

  async function remove(d: PushDevice): Promise<void> {
    setError(null);
    try {
      if (d.id === thisId) {
        await unsubscribeThisBrowser();
        rememberDevice(null);
        setThisId(null);
        setHere((h) => (h.state === 'ready' ? { ...h, endpoint: null } : h));
      }
      await forget({ id: d.id });
      update((l) => l.filter((x) => x.id !== d.id));
      onDevicesChanged();
    } catch (err) {
      setError(err);
      reload();
    }
  }

  return (
    <div className="stack push-devices">
      {here.state === 'checking' && <Loading label="Checking this browser…" />}
      {here.state === 'unsupported' && <p className="notice notice-warn">{here.text}</p>}
      {here.state === 'ready' && (
        <div className="push-here">
          {here.permission === 'denied' && !onHere ? (
            <p className="notice notice-warn">{DENIED_TEXT}</p>
          ) : null}
          <div className="form-footer">
            {onHere ? (
              <button
                type="button"
                className="button button-secondary"
                disabled={disable.busy}
                onClick={turnOffHere}
              >
                {disable.busy ? 'Turning off…' : 'Turn off on this device'}
              </button>
            ) : (
              <button
                type="button"
                className="button button-primary"
                disabled={enable.busy}
                onClick={turnOn}
              >
                {enable.busy ? 'Asking your browser…' : 'Enable push on this device'}
              </button>
            )}
            <p className="saved" role="status">
              {(enable.done ?? disable.done) && (
                <>
                  <span aria-hidden="true">✓ </span>
                  {enable.done ?? disable.done}
                </>
              )}
            </p>
          </div>
          <PushError error={enable.error ?? disable.error} />
        </div>
      )}
      <h4 className="push-devices-title">Devices receiving {label.toLowerCase()}</h4>
      {devices.status === 'loading' && <Loading label="Loading devices…" />}
      {devices.status === 'failed' && <ErrorNote error={devices.error} />}
      {devices.status === 'ready' &&
        (list.length === 0 ? (
          <EmptyState title="No devices yet">
            <p className="small">Turn push on in each browser where you want alerts.</p>
          </EmptyState>
        ) : (
          <ul className="settings-list">
            {list.map((d) => (
              <DeviceRow
                key={d.id}
                device={d}
                current={d.id === thisId && onHere}
                now={now}
                onRemove={() => void remove(d)}
              />
            ))}
          </ul>
        ))}
      <ErrorNote error={error} />
    </div>
  );
}

/** The server forgets a subscription; one it no longer has is what was wanted. */
async function forget(which: { id: number } | { endpoint: string } | null): Promise<void> {
  if (!which) return;
  try {
    await api.removePushDevice(which);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
}

function PushError({ error }: { error: unknown }) {
  if (error instanceof PushProblem) {
    return (
      <p
        className={error.code === 'denied' ? 'visually-hidden' : 'notice notice-error'}
        role="alert"
      >
        {error.message}
      </p>
    );
  }
  return <ErrorNote error={error} />;
}

function DeviceRow({
  device,
  current,
  now,
  onRemove,
}: {
  device: PushDevice;
  current: boolean;
  now: number;
  onRemove: () => void;
}) {
  const name = deviceName(device.userAgent) ?? 'A browser';
  return (
    <li className="settings-item">
      <div className="settings-item-main">
        <p className="settings-item-title">
          {name} {current && <span className="badge badge-info">This device</span>}
        </p>
        <p className="muted small">
          Via {device.host} · added{' '}
          <time dateTime={device.createdAt}>{formatDateTime(device.createdAt)}</time>
          {' · '}
          {device.lastUsedAt ? (
            <>
              last alert{' '}
              <time dateTime={device.lastUsedAt} title={formatDateTime(device.lastUsedAt)}>
                {timeAgo(device.lastUsedAt, now)}
              </time>
            </>
          ) : (
            'no alert yet'
          )}
        </p>
      </div>
      <button
        type="button"
        className="button button-ghost button-small"
        aria-label={`Remove ${name}${current ? ' (this device)' : ''}`}
        onClick={onRemove}
      >
        Remove
      </button>
    </li>
  );
}
