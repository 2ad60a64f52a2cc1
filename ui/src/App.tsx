import { useEffect, type ReactNode } from 'react';
import { EmailBanner } from './components/EmailBanner';
import { Header } from './components/Header';
import { Loading } from './components/Notice';
import { AddProductPage } from './pages/AddProductPage';
import { DealsPage } from './pages/DealsPage';
import { LoginPage, SignupPage } from './pages/AuthPages';
import {
  ConfirmEmailPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  VerifyEmailPage,
} from './pages/EmailLinkPages';
import { MailboxPage } from './pages/MailboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProductPage } from './pages/ProductPage';
import { SearchPage } from './pages/SearchPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { WatchlistPage } from './pages/WatchlistPage';
import { navigate, useLocation } from './router';
import { AUTH_FORMS, EMAIL_LINK_PAGES, loginPathFor, useSession } from './session';

function idFrom(path: string, prefix: string): number | null {
  const m = new RegExp(`^${prefix}/(\\d{1,15})/?$`).exec(path);
  return m?.[1] ? Number(m[1]) : null;
}

/**
 * Screens for anyone, logged in or not: deals, search (visitors see the catalogue only) and
 * product pages (visitors see price, chart and statistics, and are asked to log in to watch).
 */
const PUBLIC_PAGES: ReadonlySet<string> = new Set(['/deals', '/search']);

function isPublicPage(path: string): boolean {
  return PUBLIC_PAGES.has(path) || idFrom(path, '/products') !== null;
}

function publicScreen(path: string): ReactNode {
  const productId = idFrom(path, '/products');
  if (productId !== null) return <ProductPage key={productId} id={productId} />;
  return path === '/deals' ? <DealsPage /> : <SearchPage />;
}

/** Screens for signed-in people. */
function privateScreen(path: string): ReactNode {
  if (path === '/') return <WatchlistPage />;
  if (path === '/add') return <AddProductPage />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/mailbox') return <MailboxPage messageId={null} />;
  const messageId = idFrom(path, '/mailbox');
  if (messageId !== null) return <MailboxPage key={messageId} messageId={messageId} />;
  const productId = idFrom(path, '/products');
  if (productId !== null) return <ProductPage key={productId} id={productId} />;
  return <NotFoundPage />;
}

/** Pages opened from an emailed link, for anyone who holds the link. */
function emailLinkScreen(path: string): ReactNode {
  if (path === '/verify-email') return <VerifyEmailPage />;
  if (path === '/reset-password') return <ResetPasswordPage />;
  return <ConfirmEmailPage />;
}

function authForm(path: string): ReactNode {
  if (path === '/signup') return <SignupPage />;
  if (path === '/forgot-password') return <ForgotPasswordPage />;
  return <LoginPage />;
}

function Screen() {
  const { user } = useSession();
  const { path, search } = useLocation();
  const isAuthForm = AUTH_FORMS.has(path);
  const isOpen = EMAIL_LINK_PAGES.has(path);
  const isPublic = isPublicPage(path);

  useEffect(() => {
    if (user === null && !isAuthForm && !isOpen && !isPublic) {
      navigate(loginPathFor(path + search), { replace: true });
    } else if (user && isAuthForm) {
      navigate('/', { replace: true });
    }
  }, [user, isAuthForm, isOpen, isPublic, path, search]);

  if (user === undefined) return <Loading />;
  if (isOpen) return emailLinkScreen(path);
  if (isPublic) return publicScreen(path);
  if (isAuthForm) return user ? null : authForm(path);
  return user ? privateScreen(path) : null;
}

/** The one-line message a flow leaves for the next screen; it goes once that screen is left. */
function Flash() {
  const { notice, dismissNotice } = useSession();
  const { path } = useLocation();
  const stale = notice !== null && notice.path !== path;

  useEffect(() => {
    if (stale) dismissNotice();
  }, [stale, dismissNotice]);

  if (!notice || stale) return null;
  return (
    <div className="flash notice notice-success" role="status">
      <p>{notice.text}</p>
      <button
        type="button"
        className="flash-close"
        aria-label="Dismiss this message"
        onClick={dismissNotice}
      >
        ×
      </button>
    </div>
  );
}

export function App() {
  const { path } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      {/* The confirmation page itself says what happened; the banner would contradict it. */}
      {path !== '/verify-email' && <EmailBanner />}
      <main id="main" className="main" tabIndex={-1}>
        <Flash />
        <Screen />
      </main>
      <footer className="site-footer">
        <p>Pricehawk watches prices so you do not have to.</p>
      </footer>
    </>
  );
}
