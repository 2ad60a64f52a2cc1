import { useEffect, useRef } from 'react';
import { api } from '../api';
import { useAction } from '../hooks';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { ErrorNote } from './Notice';

/** "Send the link again": a new confirmation email for the logged-in user's address. */
export function ResendConfirmation({ email }: { email: string }) {
  const { refresh } = useSession();
  const resend = useAction();

  return (
    <div className="resend">
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={resend.busy}
        onClick={() =>
          void resend.run(async () => {
            const { sent } = await api.resendVerification();
            if (sent) return `A new link is on its way to ${email}.`;
            // Confirmed meanwhile (another tab, another device): the banner can go.
            await refresh();
            return 'Your address is already confirmed.';
          })
        }
      >
        {resend.busy ? 'Sending…' : 'Send the link again'}
      </button>
      {resend.done && (
        <p className="resend-done" role="status">
          {resend.done}
        </p>
      )}
      <ErrorNote error={resend.error} />
    </div>
  );
}

/**
 * Shown on every page while the address is unconfirmed: alert emails go only to a confirmed
 * address, so someone who missed the email would otherwise wait for alerts that never come.
 */
export function EmailBanner() {
  const { user, mailbox, refresh } = useSession();
  const { path } = useLocation();
  const unconfirmed = user ? !user.emailVerified : false;

  // The link is usually followed in another tab or on another device: look again when this tab
  // comes back into view, and on each move to another screen, until the address is confirmed.
  useEffect(() => {
    if (!unconfirmed) return;
    const look = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', look);
    return () => document.removeEventListener('visibilitychange', look);
  }, [unconfirmed, refresh]);
  const seenPath = useRef(path);
  useEffect(() => {
    if (!unconfirmed || seenPath.current === path) return;
    seenPath.current = path;
    void refresh();
  }, [unconfirmed, path, refresh]);

  if (!user || user.emailVerified) return null;
  return (
    <section className="email-banner" aria-label="Confirm your email address">
      <div className="email-banner-inner">
        <div className="email-banner-text">
          <p className="email-banner-title">Confirm your email address to get alerts by email</p>
          <p className="small">
            We sent a link to <strong>{user.email}</strong>
            {mailbox === 'enabled' ? (
              <>
                : <Link to="/mailbox">read the email</Link>.
              </>
            ) : (
              '.'
            )}
          </p>
        </div>
        <ResendConfirmation email={user.email} />
      </div>
    </section>
  );
}
