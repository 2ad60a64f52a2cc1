import type { ReactNode } from 'react';
import { Logo } from './Logo';

/** The centred card of the log-in, sign-up and emailed-link pages. */
export function AuthCard({
  title,
  lead,
  children,
}: {
  title: string;
  lead?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="auth">
      <div className="card auth-card">
        <div className="auth-head">
          <Logo size={40} />
          <h1>{title}</h1>
          {lead && <p className="muted">{lead}</p>}
        </div>
        {children}
      </div>
    </div>
  );
}
