/**
 * Who is logged in, learned once from GET /me and kept current by the log-in forms and by any 401
 * (which means the session ended elsewhere: expired, logged out in another tab).
 */
import { createContext, use, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setUnauthenticatedHandler, type User } from './api';
import { navigate } from './router';

export type MailboxAvailability = 'unknown' | 'enabled' | 'disabled';

interface Session {
  /** undefined while the first GET /me is in flight. */
  readonly user: User | null | undefined;
  readonly mailbox: MailboxAvailability;
  readonly signedIn: (user: User) => void;
  readonly logOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = use(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

const PUBLIC_PATHS = new Set(['/login', '/signup']);

export function loginPathFor(current: string): string {
  return PUBLIC_PATHS.has(current.split('?')[0] ?? '')
    ? '/login'
    : `/login?next=${encodeURIComponent(current)}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [mailbox, setMailbox] = useState<MailboxAvailability>('unknown');

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setUser(null);
      navigate(loginPathFor(window.location.pathname + window.location.search), { replace: true });
    });
    let live = true;
    api.me().then(
      (r) => live && setUser(r.user),
      () => live && setUser(null),
    );
    return () => {
      live = false;
    };
  }, []);

  // The mailbox exists only when the server has no SMTP relay; it says so with a 404.
  const userId = user?.id;
  useEffect(() => {
    if (userId === undefined) return;
    let live = true;
    api.mailbox().then(
      () => live && setMailbox('enabled'),
      (err: unknown) => {
        if (!live) return;
        const disabled = err instanceof ApiError && err.code === 'mailbox_disabled';
        setMailbox(disabled ? 'disabled' : 'unknown');
      },
    );
    return () => {
      live = false;
    };
  }, [userId]);

  const session = useMemo<Session>(
    () => ({
      user,
      mailbox,
      signedIn: setUser,
      logOut: async () => {
        try {
          await api.logout();
        } catch {
          // Nothing to show: the screen is logged out either way, and a cookie that outlived a
          // failed request ends with its session's expiry.
        } finally {
          setUser(null);
          setMailbox('unknown');
          navigate('/login', { replace: true });
        }
      },
    }),
    [user, mailbox],
  );

  return <SessionContext value={session}>{children}</SessionContext>;
}
