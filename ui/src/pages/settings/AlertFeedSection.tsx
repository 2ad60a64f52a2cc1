import { useId, useRef, useState } from 'react';
import { catalogApi } from '../../catalog-api';
import { ErrorNote, Loading } from '../../components/Notice';
import { formatDateTime } from '../../format';
import { useAction, useResource } from '../../hooks';
import { Saved, Section } from './Section';

/** The private Atom feed of the user's alerts: its secret URL, and a new one on request. */
export function AlertFeedSection() {
  const id = useId();
  const [feed, , update] = useResource('alert-feed', () => catalogApi.alertFeed());
  const [confirming, setConfirming] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'manual' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const rotate = useAction();

  async function copy(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard access (plain http on another host): select it for a keyboard shortcut.
      input.current?.select();
      setCopied('manual');
    }
  }

  return (
    <Section
      id="feed"
      title="Alerts feed"
      lead="Follow your alerts in any feed reader. The address is private: anyone who has it can read your alerts, so make a new one if it leaks."
    >
      {feed.status === 'loading' && <Loading label="Loading your feed address…" />}
      {feed.status === 'failed' && <ErrorNote error={feed.error} />}
      {feed.status === 'ready' && (
        <div className="stack">
          <div className="field">
            <label htmlFor={id}>Your private feed URL (Atom)</label>
            <div className="copy-row">
              <input
                ref={input}
                id={id}
                className="input mono"
                readOnly
                value={feed.data.url}
                spellCheck={false}
                onFocus={(e) => e.currentTarget.select()}
                aria-describedby={`${id}-hint`}
              />
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void copy(feed.data.url)}
              >
                {copied === 'yes' ? 'Copied' : 'Copy'}
              </button>
            </div>
            <p className="field-hint" id={`${id}-hint`}>
              {copied === 'manual'
                ? 'Your browser did not allow copying: the address is selected, press Ctrl+C (⌘C on a Mac).'
                : `Made ${formatDateTime(feed.data.createdAt)}.`}
            </p>
          </div>
          <ErrorNote error={rotate.error} />
          <div className="form-footer">
            {confirming ? (
              <div className="confirm-inline" role="group" aria-label="Make a new feed URL?">
                <span className="small">
                  Feed readers using the old address stop getting alerts.
                </span>
                <button
                  type="button"
                  className="button button-danger button-small"
                  disabled={rotate.busy}
                  onClick={() =>
                    void rotate.run(async () => {
                      const fresh = await catalogApi.rotateAlertFeed();
                      update(() => fresh);
                      setConfirming(false);
                      setCopied(null);
                      return 'New feed URL made; the old one no longer works.';
                    })
                  }
                >
                  Make a new URL
                </button>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => setConfirming(false)}
                >
                  Keep this one
                </button>
              </div>
            ) : (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  rotate.reset();
                  setConfirming(true);
                }}
              >
                Rotate feed URL
              </button>
            )}
            <Saved text={rotate.done} />
          </div>
        </div>
      )}
    </Section>
  );
}
