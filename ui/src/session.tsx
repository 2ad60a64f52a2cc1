/**
 * Who is logged in, learned once from GET /me and kept current by the log-in forms, by the account
 * pages (profile saved, address confirmed) and by any 401 (which means the session ended elsewhere:
 * expired, logged out in another tab or from another device).
 */
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, api, setUnauthenticatedHandler, type User } from './api';
import { setFormatPreferences } from './format';
import { navigate } from './router';

export type MailboxAvailability = 'unknown' | 'enabled' | 'disabled';

/** A one-line message for the next screen ("Your password is set."), shown on that path only. */
export interface Notice {
  readonly text: string;
  readonly path: string;
}

interface Session {
  /** undefined while the first GET /me is in flight. */
  readonly user: User | null | undefined;
  readonly mailbox: MailboxAvailability;
  /** Someone logged in, or the logged-in user changed (profile saved, address confirmed). */
  readonly signedIn: (user: User) => void;
  readonly logOut: () => Promise<void>;
  /** The server has already ended the session (log out everywhere, account deleted). */
  readonly signedOut: (to: string, message?: string) => void;
  /** Asks the server again who is logged in (the address may have been confirmed elsewhere). */
  readonly refresh: () => Promise<void>;
  readonly notice: Notice | null;
  readonly flash: (text: string, path: string) => void;
  readonly dismissNotice: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = use(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** Pages for people who are not logged in; a logged-in visitor is sent to the watchlist. */
export const AUTH_FORMS: ReadonlySet<string> = new Set(['/login', '/signup', '/forgot-password']);

/**
 * Pages opened from an emailed link: they work whether or not (and as whom) the browser is logged
 * in, since the mail app picks the browser.
 */
export const EMAIL_LINK_PAGES: ReadonlySet<string> = new Set([
  '/verify-email',
  '/reset-password',
  '/confirm-email',
]);

export function loginPathFor(current: string): string {
  const path = current.split('?')[0] ?? '';
  return AUTH_FORMS.has(path) || EMAIL_LINK_PAGES.has(path)
    ? '/login'
    : `/login?next=${encodeURIComponent(current)}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [mailbox, setMailbox] = useState<MailboxAvailability>('unknown');
  const [notice, setNotice] = useState<Notice | null>(null);

  // Before the children render, so that every price and date on this pass uses the profile's
  // locale and time zone (idempotent: it only resets its caches when they change).
  setFormatPreferences(user?.locale, user?.timeZone, user?.currencyDisplay);

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

  const signedOut = useCallback((to: string, message?: string) => {
    setUser(null);
    setMailbox('unknown');
    setNotice(message ? { text: message, path: to.split('?')[0] ?? to } : null);
    navigate(to, { replace: true });
  }, []);

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
          signedOut('/login');
        }
      },
      signedOut,
      refresh: async () => {
        try {
          setUser((await api.me()).user);
        } catch (err) {
          if (err instanceof ApiError && err.status === 401) setUser(null);
        }
      },
      notice,
      flash: (text, path) => setNotice({ text, path }),
      dismissNotice: () => setNotice(null),
    }),
    [user, mailbox, notice, signedOut],
  );

  return <SessionContext value={session}>{children}</SessionContext>;
}
