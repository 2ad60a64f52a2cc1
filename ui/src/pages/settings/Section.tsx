import type { ReactNode } from 'react';
import { ApiError } from '../../api';

/** One card of the settings page; its heading names it for screen readers (a region). */
export function Section({
  id,
  title,
  lead,
  danger = false,
  children,
}: {
  id: string;
  title: string;
  lead?: ReactNode;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      id={id}
      className={danger ? 'card settings-section settings-danger' : 'card settings-section'}
      aria-labelledby={`${id}-title`}
    >
      <div className="settings-section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {lead && <p className="muted">{lead}</p>}
      </div>
      {children}
    </section>
  );
}

/** The quiet confirmation next to a form's button ("Profile saved."). */
export function Saved({ text }: { text: string | null }) {
  return (
    <p className="saved" role="status">
      {text && (
        <>
          <span aria-hidden="true">✓ </span>
          {text}
        </>
      )}
    </p>
  );
}

/** The API error with this code, if that is what `err` is: shown next to the field it is about. */
export function codeIs(err: unknown, ...codes: string[]): boolean {
  return err instanceof ApiError && codes.includes(err.code);
}
