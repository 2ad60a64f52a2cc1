import { useEffect, type ReactNode } from 'react';
import { Header } from './components/Header';
import { Loading } from './components/Notice';
import { AddProductPage } from './pages/AddProductPage';
import { LoginPage, SignupPage } from './pages/AuthPages';
import { MailboxPage } from './pages/MailboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProductPage } from './pages/ProductPage';
import { WatchlistPage } from './pages/WatchlistPage';
import { navigate, useLocation } from './router';
import { loginPathFor, useSession } from './session';

function idFrom(path: string, prefix: string): number | null {
  const m = new RegExp(`^${prefix}/(\\d{1,15})/?$`).exec(path);
  return m?.[1] ? Number(m[1]) : null;
}

/** Screens for signed-in people; everything except the two account forms. */
function privateScreen(path: string): ReactNode {
  if (path === '/') return <WatchlistPage />;
  if (path === '/add') return <AddProductPage />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/mailbox') return <MailboxPage messageId={null} />;
  const messageId = idFrom(path, '/mailbox');
  if (messageId !== null) return <MailboxPage key={messageId} messageId={messageId} />;
  const productId = idFrom(path, '/products');
  if (productId !== null) return <ProductPage key={productId} id={productId} />;
  return <NotFoundPage />;
}

function Screen() {
  const { user } = useSession();
  const { path, search } = useLocation();
  const isAuthForm = path === '/login' || path === '/signup';

  useEffect(() => {
    if (user === null && !isAuthForm) {
      navigate(loginPathFor(path + search), { replace: true });
    } else if (user && isAuthForm) {
      navigate('/', { replace: true });
    }
  }, [user, isAuthForm, path, search]);

  if (user === undefined) return <Loading />;
  if (path === '/login') return user ? null : <LoginPage />;
  if (path === '/signup') return user ? null : <SignupPage />;
  return user ? privateScreen(path) : null;
}

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" className="main" tabIndex={-1}>
        <Screen />
      </main>
      <footer className="site-footer">
        <p>Pricehawk watches prices so you do not have to.</p>
      </footer>
    </>
  );
}
