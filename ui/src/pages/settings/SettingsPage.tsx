import { useEffect } from 'react';
import { useTitle } from '../../hooks';
import { useSession } from '../../session';
import { ChannelsSection } from './ChannelsSection';
import { AlertFeedSection } from './AlertFeedSection';
import { DataSection, DeleteSection } from './DataSections';
import { NotificationsSection, ProfileSection } from './ProfileSections';
import { EmailSection, PasswordSection } from './SecuritySections';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';

const SECTIONS: ReadonlyArray<readonly [id: string, title: string]> = [
  ['profile', 'Profile'],
  ['notifications', 'Notifications'],
  ['channels', 'Alert channels'],
  ['feed', 'Alerts feed'],
  ['password', 'Password'],
  ['email', 'Email address'],
  ['sessions', 'Sessions'],
  ['tokens', 'API tokens'],
  ['data', 'Your data'],
  ['delete', 'Delete account'],
];

export function SettingsPage() {
  useTitle('Settings');
  const { user } = useSession();

  // A link such as /settings#email (from the confirm-email page) lands on its section.
  useEffect(() => {
    const id = window.location.hash.slice(1);
    if (SECTIONS.some(([s]) => s === id)) document.getElementById(id)?.scrollIntoView();
  }, []);

  if (!user) return null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted">Your account, your alerts and your data.</p>
        </div>
      </div>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          <ul>
            {SECTIONS.map(([id, title]) => (
              <li key={id}>
                {/* Plain fragment links: the browser scrolls, the router is not involved. */}
                <a href={`#${id}`}>{title}</a>
              </li>
            ))}
          </ul>
        </nav>
        {/* Keyed by account: another login in this tab starts from that account's values. */}
        <div className="settings-sections" key={user.id}>
          <ProfileSection user={user} />
          <NotificationsSection user={user} />
          <ChannelsSection />
          <AlertFeedSection />
          <PasswordSection user={user} />
          <EmailSection user={user} />
          <SessionsSection />
          <TokensSection />
          <DataSection />
          <DeleteSection />
        </div>
      </div>
    </div>
  );
}
