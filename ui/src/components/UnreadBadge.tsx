import { useEffect } from 'react';
import { useLocation } from '../router';
import { useSession } from '../session';
import { refreshUnreadCount, setUnreadCount, useUnreadCount } from '../unread';

const POLL_MS = 60_000;

/**
 * The number of unread alerts beside the Notifications link. It is part of the link's name
 * ("Notifications 3 unread") for screen readers; nothing shows when everything is read.
 */
export function UnreadBadge() {
  const { user } = useSession();
  const { path } = useLocation();
  const unread = useUnreadCount();
  const userId = user?.id;

  // After every navigation: a page may have read alerts, or a check may have brought new ones.
  useEffect(() => {
    if (userId === undefined) return;
    void refreshUnreadCount();
  }, [userId, path]);

  useEffect(() => {
    if (userId === undefined) return;
    const poll = () => {
      if (document.visibilityState === 'visible') void refreshUnreadCount();
    };
    const t = window.setInterval(poll, POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      window.clearInterval(t);
      document.removeEventListener('visibilitychange', poll);
      setUnreadCount(null);
    };
  }, [userId]);

  if (!unread) return null;
  const shown = unread > 99 ? '99+' : String(unread);
  return (
    <>
      {' '}
      <span className="nav-badge">
        <span aria-hidden="true">{shown}</span>
        <span className="visually-hidden">{unread} unread</span>
      </span>
    </>
  );
}
