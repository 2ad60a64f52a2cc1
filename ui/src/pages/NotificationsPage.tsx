import { useCallback, useEffect, useState } from 'react';
import { api, type Notification } from '../api';
import { EmptyState, ErrorNote, Loading } from '../components/Notice';
import { compareMoney, formatDateTime, formatMoney, timeAgo } from '../format';
import { useNow, useTitle } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { adjustUnreadCount, refreshUnreadCount, setUnreadCount, useUnreadCount } from '../unread';

/** Alerts per page; "Load more" asks for the next page before the oldest shown. */
const PAGE_SIZE = 25;

interface Inbox {
  readonly items: readonly Notification[];
  /** The last page was full: there may be older alerts. */
  readonly more: boolean;
}

type Load =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'ready'; readonly inbox: Inbox };

/**
 * The in-app inbox: every alert, newest first, read or unread. `?unread=1` shows only unread
 * ones; alerts read while that view is open stay in it (dimmed) until it is loaded again, so
 * nothing jumps away under the pointer.
 */
export function NotificationsPage() {
  useTitle('Notifications');
  const { query } = useLocation();
  const unreadOnly = query.get('unread') === '1';
  const unread = useUnreadCount();
  const now = useNow();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [busyAll, setBusyAll] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setLoad({ status: 'loading' });
    setError(null);
    api.notifications({ limit: PAGE_SIZE, unreadOnly }).then(
      (page) => {
        if (!live) return;
        setUnreadCount(page.unread);
        setLoad({
          status: 'ready',
          inbox: { items: page.notifications, more: page.notifications.length === PAGE_SIZE },
        });
      },
      (err: unknown) => live && setLoad({ status: 'failed', error: err }),
    );
    return () => {
      live = false;
    };
  }, [unreadOnly]);

  const replace = useCallback((changed: Notification) => {
    setLoad((l) =>
      l.status === 'ready'
        ? {
            ...l,
            inbox: {
              ...l.inbox,
              items: l.inbox.items.map((n) => (n.id === changed.id ? changed : n)),
            },
          }
        : l,
    );
  }, []);

  const mark = useCallback(
    async (n: Notification, read: boolean): Promise<void> => {
      if ((n.readAt !== null) === read) return;
      setError(null);
      try {
        const { notification } = await api.markNotification(n.id, read);
        replace(notification);
        adjustUnreadCount(read ? -1 : 1);
      } catch (err) {
        setError(err);
      }
      void refreshUnreadCount();
    },
    [replace],
  );

  async function loadMore(inbox: Inbox): Promise<void> {
    const oldest = inbox.items.at(-1);
    if (!oldest || loadingMore) return;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await api.notifications({ limit: PAGE_SIZE, before: oldest.id, unreadOnly });
      setUnreadCount(page.unread);
      setLoad((l) =>
        l.status === 'ready'
          ? {
              status: 'ready',
              inbox: {
                // An alert marked unread elsewhere can come twice across pages: keep the first.
                items: [
                  ...l.inbox.items,
                  ...page.notifications.filter((p) => !l.inbox.items.some((n) => n.id === p.id)),
                ],
                more: page.notifications.length === PAGE_SIZE,
              },
            }
          : l,
      );
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  async function markAll(): Promise<void> {
    setBusyAll(true);
    setError(null);
    try {
      await api.markAllNotificationsRead();
      const at = new Date().toISOString();
      setLoad((l) =>
        l.status === 'ready'
          ? {
              ...l,
              inbox: {
                ...l.inbox,
                items: l.inbox.items.map((n) => (n.readAt ? n : { ...n, readAt: at })),
              },
            }
          : l,
      );
      setUnreadCount(0);
    } catch (err) {
      setError(err);
    } finally {
      setBusyAll(false);
    }
    void refreshUnreadCount();
  }

  const showUnreadOnly = (on: boolean) =>
    navigate(on ? '/notifications?unread=1' : '/notifications', { replace: true });

  return (
    <div className="page page-narrow">
      <div className="page-head inbox-head">
        <div>
          <h1>Notifications</h1>
          <p className="muted" role="status">
            {unread === null ? '' : unread === 0 ? 'All read' : `${unread} unread`}
          </p>
        </div>
        <div className="inbox-actions">
          <div className="segmented" role="group" aria-label="Show">
            <button
              type="button"
              className="segment"
              aria-pressed={!unreadOnly}
              onClick={() => showUnreadOnly(false)}
            >
              All
            </button>
            <button
              type="button"
              className="segment"
              aria-pressed={unreadOnly}
              onClick={() => showUnreadOnly(true)}
            >
              Unread only
            </button>
          </div>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={busyAll || !unread}
            onClick={() => void markAll()}
          >
            {busyAll ? 'Marking…' : 'Mark all read'}
          </button>
        </div>
      </div>
      <ErrorNote error={error} />
      {load.status === 'loading' && <Loading label="Loading notifications…" />}
      {load.status === 'failed' && <ErrorNote error={load.error} />}
      {load.status === 'ready' &&
        (load.inbox.items.length === 0 ? (
          unreadOnly ? (
            <EmptyState title="Nothing unread">
              <p>You have read every alert.</p>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => showUnreadOnly(false)}
              >
                Show all alerts
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No alerts yet">
              <p>
                When a product you watch drops below your target, the alert shows up here and on the
                channels you chose in <Link to="/settings#channels">Settings</Link>.
              </p>
            </EmptyState>
          )
        ) : (
          <>
            <ol className="notification-list" aria-label="Alerts">
              {load.inbox.items.map((n) => (
                <NotificationItem
                  key={n.id}
                  n={n}
                  now={now}
                  onMark={(read) => void mark(n, read)}
                />
              ))}
            </ol>
            {load.inbox.more && (
              <div className="inbox-more">
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={loadingMore}
                  onClick={() => void loadMore(load.inbox)}
                >
                  {loadingMore ? 'Loading…' : 'Load more'}
                </button>
              </div>
            )}
          </>
        ))}
    </div>
  );
}

function NotificationItem({
  n,
  now,
  onMark,
}: {
  n: Notification;
  now: number;
  onMark: (read: boolean) => void;
}) {
  const dropped =
    n.price && n.previousPrice ? (compareMoney(n.price, n.previousPrice) ?? 0) < 0 : false;
  const title = n.productTitle ?? `Product ${n.productId}`;
  const unread = n.readAt === null;
  return (
    <li className={`card notification${unread ? ' notification-unread' : ''}`}>
      <div className="notification-icon" aria-hidden="true">
        {n.kind === 'back_in_stock' ? '↺' : '↓'}
      </div>
      <div className="notification-body">
        <p className="notification-kind">
          {unread && <span className="visually-hidden">Unread: </span>}
          {n.kind === 'back_in_stock' ? 'Back in stock' : 'Price drop'}
        </p>
        {/* Opening an alert reads it. */}
        <Link
          to={`/products/${n.productId}`}
          className="notification-title"
          onClick={() => unread && onMark(true)}
        >
          {title}
        </Link>
        <p className="notification-prices">
          <span className={dropped ? 'price price-good' : 'price'}>
            {n.price ? formatMoney(n.price) : 'Unavailable'}
          </span>
          {n.previousPrice && (
            <>
              {' '}
              <span className="muted">
                was <s>{formatMoney(n.previousPrice)}</s>
              </span>
            </>
          )}
        </p>
      </div>
      <div className="notification-side">
        <time
          className="notification-time muted small"
          dateTime={n.createdAt}
          title={formatDateTime(n.createdAt)}
        >
          {timeAgo(n.createdAt, now)}
        </time>
        <button
          type="button"
          className="button button-ghost button-small"
          aria-label={unread ? `Mark “${title}” read` : `Mark “${title}” unread`}
          onClick={() => onMark(unread)}
        >
          {unread ? 'Mark read' : 'Mark unread'}
        </button>
      </div>
    </li>
  );
}
