import { api, type MailMessage } from '../api';
import { EmptyState, ErrorNote, Loading } from '../components/Notice';
import { formatDateTime, timeAgo } from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link } from '../router';

/**
 * Email that stayed on this machine because no SMTP server is configured. Message HTML is rendered
 * in a sandboxed frame with no permissions: it quotes scraped product titles and must never run
 * script or reach our origin.
 */
export function MailboxPage({ messageId }: { messageId: number | null }) {
  useTitle('Mailbox');
  const [mail] = useResource('mailbox', () => api.mailbox().then((r) => r.messages));
  const now = useNow();

  if (mail.status === 'loading') return <Loading label="Loading mailbox…" />;
  if (mail.status === 'failed') return <ErrorNote error={mail.error} />;

  if (messageId !== null) {
    const m = mail.data.find((x) => x.id === messageId);
    return m ? (
      <MessageView message={m} />
    ) : (
      <div className="page page-narrow">
        <h1>Message not found</h1>
        <p>
          <Link to="/mailbox">All messages</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <div>
          <h1>Mailbox</h1>
          <p className="muted">
            This server has no email relay configured, so emails to you are kept here instead.
          </p>
        </div>
      </div>
      {mail.data.length === 0 ? (
        <EmptyState title="No email yet">
          <p>Alerts you receive by email will appear here.</p>
        </EmptyState>
      ) : (
        <ul className="mail-list card">
          {mail.data.map((m) => (
            <li key={m.id}>
              <Link to={`/mailbox/${m.id}`} className="mail-row">
                <span className="mail-subject">{m.subject || '(no subject)'}</span>
                <span className="mail-to muted small">to {m.to}</span>
                <time
                  className="mail-time muted small"
                  dateTime={m.createdAt}
                  title={formatDateTime(m.createdAt)}
                >
                  {timeAgo(m.createdAt, now)}
                </time>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The pages our account emails link to, and what following each link does. */
const ACCOUNT_LINKS: Readonly<Record<string, string>> = {
  '/verify-email': 'Confirm my address',
  '/reset-password': 'Choose a new password',
  '/confirm-email': 'Confirm my new address',
};

/**
 * The account links in a message, as paths in this app. The HTML is shown in a sandbox where links
 * go nowhere, and the server's public URL may not be the address this browser uses (a dev server,
 * a port left at its default): the path and token are what matter.
 */
function accountLinks(text: string): { to: string; label: string }[] {
  const found = new Map<string, string>();
  for (const [raw] of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    const label = ACCOUNT_LINKS[url.pathname];
    const token = url.searchParams.get('token');
    if (label && token) found.set(`${url.pathname}?token=${encodeURIComponent(token)}`, label);
  }
  return [...found].map(([to, label]) => ({ to, label }));
}

function MessageView({ message }: { message: MailMessage }) {
  useTitle(message.subject || 'Message');
  const links = accountLinks(message.text);
  return (
    <div className="page page-narrow">
      <p>
        <Link to="/mailbox">← All messages</Link>
      </p>
      <article className="card mail-message">
        <header className="mail-header">
          <h1>{message.subject || '(no subject)'}</h1>
          <dl>
            <div>
              <dt>To</dt>
              <dd>{message.to}</dd>
            </div>
            <div>
              <dt>Received</dt>
              <dd>
                <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
              </dd>
            </div>
          </dl>
        </header>
        {links.length > 0 && (
          <div className="mail-actions">
            {links.map((l) => (
              <Link key={l.to} to={l.to} className="button button-primary">
                {l.label}
              </Link>
            ))}
            <span className="muted small">Follows the link in this email.</span>
          </div>
        )}
        {message.html ? (
          <iframe
            className="mail-frame"
            title={`Email: ${message.subject}`}
            sandbox=""
            srcDoc={message.html}
            referrerPolicy="no-referrer"
          />
        ) : (
          <pre className="mail-text">{message.text}</pre>
        )}
        {message.html && (
          <details className="mail-plain">
            <summary>Plain text version</summary>
            <pre className="mail-text">{message.text}</pre>
          </details>
        )}
      </article>
    </div>
  );
}
