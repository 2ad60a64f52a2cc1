import { useState, type ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { Logo } from './Logo';
import { UnreadBadge } from './UnreadBadge';
import { SearchBox } from './SearchBox';

function NavLink({
  to,
  label,
  current,
  children,
}: {
  to: string;
  label: string;
  current: string;
  children?: ReactNode;
}) {
  const active = to === '/' ? current === '/' : current === to || current.startsWith(`${to}/`);
  return (
    <Link to={to} className="nav-link" aria-current={active ? 'page' : undefined}>
      {label}
      {children}
    </Link>
  );
}

export function Header() {
  const { user, mailbox, logOut } = useSession();
  const { path } = useLocation();
  const [leaving, setLeaving] = useState(false);

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand" aria-label="Pricehawk home">
          <Logo />
          <span>Pricehawk</span>
        </Link>
        {user !== undefined && path !== '/search' && <SearchBox />}
        {user ? (
          <>
            <nav className="site-nav" aria-label="Main">
              <NavLink to="/" label="Watchlist" current={path} />
              <NavLink to="/add" label="Add" current={path} />
              <NavLink to="/deals" label="Deals" current={path} />
              <NavLink to="/notifications" label="Notifications" current={path}>
                <UnreadBadge />
              </NavLink>
              {mailbox === 'enabled' && <NavLink to="/mailbox" label="Mailbox" current={path} />}
              <NavLink to="/settings" label="Settings" current={path} />
            </nav>
            <div className="account">
              <span className="account-name" title={user.email}>
                {user.name}
              </span>
              <button
                type="button"
                className="button button-ghost button-small"
                disabled={leaving}
                onClick={() => {
                  setLeaving(true);
                  void logOut().finally(() => setLeaving(false));
                }}
              >
                Log out
              </button>
            </div>
          </>
        ) : (
          user === null && (
            <nav className="site-nav site-nav-end" aria-label="Account">
              <NavLink to="/deals" label="Deals" current={path} />
              <NavLink to="/login" label="Log in" current={path} />
              <NavLink to="/signup" label="Sign up" current={path} />
            </nav>
          )
        )}
      </div>
    </header>
  );
}
