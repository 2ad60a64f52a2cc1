import { api, type Notification } from '../api';
import { EmptyState, ErrorNote, Loading } from '../components/Notice';
import { compareMoney, formatDateTime, formatMoney, timeAgo } from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link } from '../router';

function newestFirst(a: Notification, b: Notification): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id;
}

export function NotificationsPage() {
  useTitle('Notifications');
  const [list] = useResource('notifications', () =>
    api.notifications().then((r) => [...r.notifications].sort(newestFirst)),
  );
  const now = useNow();

  if (list.status === 'loading') return <Loading label="Loading notifications…" />;
  if (list.status === 'failed') return <ErrorNote error={list.error} />;

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <h1>Notifications</h1>
      </div>
      {list.data.length === 0 ? (
        <EmptyState title="No alerts yet">
          <p>
            When a product you watch drops below your target, the alert shows up here and in your
            email.
          </p>
        </EmptyState>
      ) : (
        <ol className="notification-list">
          {list.data.map((n) => (
            <NotificationItem key={n.id} n={n} now={now} />
          ))}
        </ol>
      )}
    </div>
  );
}

function NotificationItem({ n, now }: { n: Notification; now: number }) {
  const dropped =
    n.price && n.previousPrice ? (compareMoney(n.price, n.previousPrice) ?? 0) < 0 : false;
  return (
    <li className={`card notification${n.readAt ? '' : ' notification-unread'}`}>
      <div className="notification-icon" aria-hidden="true">
        {n.kind === 'back_in_stock' ? '↺' : '↓'}
      </div>
      <div className="notification-body">
        <p className="notification-kind">
          {n.kind === 'back_in_stock' ? 'Back in stock' : 'Price drop'}
        </p>
        <Link to={`/products/${n.productId}`} className="notification-title">
          {n.productTitle ?? `Product ${n.productId}`}
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
      <time
        className="notification-time muted small"
        dateTime={n.createdAt}
        title={formatDateTime(n.createdAt)}
      >
        {timeAgo(n.createdAt, now)}
      </time>
    </li>
  );
}
