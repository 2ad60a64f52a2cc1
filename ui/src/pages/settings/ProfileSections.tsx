import { useId, useMemo, useState, type FormEvent } from 'react';
import { api, type CurrencyDisplay, type NotificationPrefs, type User } from '../../api';
import { Field, SelectField } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { canonicalLocale, isTimeZone } from '../../format';
import { useAction, useNow } from '../../hooks';
import { useSession } from '../../session';
import { Saved, Section } from './Section';

/** Languages of the marketplaces Pricehawk knows, offered first; any BCP 47 tag is accepted. */
const COMMON_LOCALES = [
  'en-US',
  'en-GB',
  'en-CA',
  'en-AU',
  'en-IN',
  'en-SG',
  'de-DE',
  'de-AT',
  'de-CH',
  'fr-FR',
  'fr-BE',
  'fr-CA',
  'nl-NL',
  'nl-BE',
  'es-ES',
  'es-MX',
  'it-IT',
  'pt-BR',
  'pt-PT',
  'sv-SE',
  'pl-PL',
  'tr-TR',
  'ar-AE',
  'ar-SA',
  'ar-EG',
  'ja-JP',
  'zh-CN',
  'ko-KR',
];

const DEVICE_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function supported(key: 'timeZone'): string[] {
  try {
    return Intl.supportedValuesOf(key);
  } catch {
    return [];
  }
}

function displayName(type: 'language', code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "It is 14:05 there now", or null while the zone typed so far is not one. */
function localTime(zone: string, locale: string, now: number): string | null {
  if (!isTimeZone(zone)) return null;
  try {
    return new Intl.DateTimeFormat(canonicalLocale(locale) ?? undefined, {
      timeStyle: 'short',
      timeZone: zone,
    }).format(now);
  } catch {
    return null;
  }
}

const CURRENCY_DISPLAYS: readonly CurrencyDisplay[] = ['symbol', 'narrowSymbol', 'code', 'name'];

/** 1,234.56 in euros as this locale writes it with this currency format ("€1,234.56"). */
function sampleAmount(locale: string, currencyDisplay: CurrencyDisplay): string {
  try {
    return new Intl.NumberFormat(canonicalLocale(locale) ?? undefined, {
      style: 'currency',
      currency: 'EUR',
      currencyDisplay,
    }).format('1234.56');
  } catch {
    return currencyDisplay;
  }
}

/** How a price and a date look in this locale, so people can see what they are choosing. */
function example(
  locale: string,
  currency: string,
  zone: string,
  now: number,
  currencyDisplay: CurrencyDisplay,
): string | null {
  const tag = canonicalLocale(locale);
  if (!tag) return null;
  try {
    const price = new Intl.NumberFormat(tag, {
      style: 'currency',
      currency,
      currencyDisplay,
    }).format('1234.56');
    const date = new Intl.DateTimeFormat(tag, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: isTimeZone(zone) ? zone : undefined,
    }).format(now);
    return `Prices look like ${price}; dates like ${date}.`;
  } catch {
    return null;
  }
}

type ProfileProblem = { field: 'name' | 'timeZone' | 'locale'; text: string };

export function ProfileSection({ user }: { user: User }) {
  const { signedIn } = useSession();
  const listId = useId();
  const [name, setName] = useState(user.name);
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [locale, setLocale] = useState(user.locale);
  const [currencyDisplay, setCurrencyDisplay] = useState<CurrencyDisplay>(user.currencyDisplay);
  const [problem, setProblem] = useState<ProfileProblem | null>(null);
  const save = useAction();
  const now = useNow();

  const zones = useMemo(() => {
    const all = supported('timeZone');
    for (const z of ['UTC', user.timeZone]) if (!all.includes(z)) all.push(z);
    return all.sort();
  }, [user.timeZone]);
  const locales = useMemo(
    () => COMMON_LOCALES.map((tag) => ({ tag, name: displayName('language', tag) })),
    [],
  );

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const trimmed = name.trim();
    const tag = canonicalLocale(locale);
    const zone = timeZone.trim();
    if (!trimmed) {
      setProblem({ field: 'name', text: 'Enter the name Pricehawk should call you.' });
      return;
    }
    if (!isTimeZone(zone)) {
      setProblem({
        field: 'timeZone',
        text: 'Pick a time zone from the list, such as Europe/Berlin.',
      });
      return;
    }
    if (!tag) {
      setProblem({ field: 'locale', text: 'Enter a language tag such as en-US or de-DE.' });
      return;
    }
    setProblem(null);
    void save.run(async () => {
      const { user: saved } = await api.updateMe({
        name: trimmed,
        timeZone: zone,
        locale: tag,
        currencyDisplay,
      });
      setName(saved.name);
      setTimeZone(saved.timeZone);
      setLocale(saved.locale);
      signedIn(saved);
      return 'Profile saved.';
    });
  }

  const there = localTime(timeZone.trim(), locale, now);
  return (
    <Section
      id="profile"
      title="Profile"
      lead="How Pricehawk addresses you and shows times and prices."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Name"
          type="text"
          name="name"
          autoComplete="name"
          required
          maxLength={200}
          error={problem?.field === 'name' ? problem.text : null}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="field-with-action">
          <Field
            label="Time zone"
            type="text"
            name="time-zone"
            autoComplete="off"
            spellCheck={false}
            list={`${listId}-zones`}
            required
            error={problem?.field === 'timeZone' ? problem.text : null}
            hint={
              there
                ? `It is ${there} there now. Quiet hours and the times on this site follow it.`
                : 'Start typing a city, such as Berlin or New_York.'
            }
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
          />
          {DEVICE_ZONE && DEVICE_ZONE !== timeZone && isTimeZone(DEVICE_ZONE) && (
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => setTimeZone(DEVICE_ZONE)}
            >
              Use this device’s: {DEVICE_ZONE}
            </button>
          )}
          <datalist id={`${listId}-zones`}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <Field
          label="Locale"
          type="text"
          name="locale"
          autoComplete="off"
          spellCheck={false}
          list={`${listId}-locales`}
          required
          maxLength={35}
          error={problem?.field === 'locale' ? problem.text : null}
          hint={
            example(locale, 'EUR', timeZone.trim(), now, currencyDisplay) ??
            'A language tag such as en-US, en-GB or de-DE.'
          }
          value={locale}
          onChange={(e) => setLocale(e.target.value)}
        />
        <datalist id={`${listId}-locales`}>
          {locales.map((l) => (
            <option key={l.tag} value={l.tag}>
              {l.name}
            </option>
          ))}
        </datalist>
        <SelectField
          label="Currency format"
          name="currency-display"
          hint="How prices are written. Each price stays in the currency its store charges; nothing is converted."
          value={currencyDisplay}
          onChange={(e) => setCurrencyDisplay(e.target.value as CurrencyDisplay)}
        >
          {CURRENCY_DISPLAYS.map((d) => (
            <option key={d} value={d}>
              {sampleAmount(locale, d)}
            </option>
          ))}
        </SelectField>
        <ErrorNote error={save.error} />
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save profile'}
          </button>
          <Saved text={save.done} />
        </div>
      </form>
    </Section>
  );
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** 8 → "8:00 AM" (en-US), "08:00" (de-DE): an hour of the day as the profile's locale writes it. */
function hourLabel(hour: number, locale: string): string {
  try {
    return new Intl.DateTimeFormat(canonicalLocale(locale) ?? undefined, {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
    }).format(Date.UTC(2000, 0, 1, hour));
  } catch {
    return `${String(hour).padStart(2, '0')}:00`;
  }
}

export function NotificationsSection({ user }: { user: User }) {
  const { signedIn } = useSession();
  const id = useId();
  const prefs = user.notificationPrefs;
  const [email, setEmail] = useState(prefs.channels.email.enabled);
  const [quiet, setQuiet] = useState(prefs.quietHours !== null);
  const [start, setStart] = useState(prefs.quietHours?.start ?? '22:00');
  const [end, setEnd] = useState(prefs.quietHours?.end ?? '07:00');
  const [digest, setDigest] = useState(prefs.digest.enabled);
  const [digestHour, setDigestHour] = useState(prefs.digest.hour);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction();

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    if (quiet && (!TIME.test(start) || !TIME.test(end))) {
      setProblem('Enter both times, such as 22:00 and 07:00.');
      return;
    }
    if (quiet && start === end) {
      setProblem('Quiet hours need to start and end at different times.');
      return;
    }
    setProblem(null);
    const next: NotificationPrefs = {
      channels: { email: { enabled: email } },
      quietHours: quiet ? { start, end } : null,
      digest: { enabled: digest, hour: digestHour },
    };
    void save.run(async () => {
      signedIn((await api.updateMe({ notificationPrefs: next })).user);
      return 'Notification settings saved.';
    });
  }

  return (
    <Section
      id="notifications"
      title="Notifications"
      lead="Every alert is listed under Notifications. Choose what else happens."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <div className="check">
          <input
            id={`${id}-email`}
            type="checkbox"
            checked={email}
            onChange={(e) => setEmail(e.target.checked)}
            aria-describedby={`${id}-email-hint`}
          />
          <label htmlFor={`${id}-email`}>Email alerts</label>
          <p className="field-hint" id={`${id}-email-hint`}>
            {user.emailVerified ? (
              <>
                Email me at <strong>{user.email}</strong> when a price drops.
              </>
            ) : (
              <>
                Email me when a price drops. Nothing is emailed until you confirm{' '}
                <strong>{user.email}</strong>.
              </>
            )}
          </p>
        </div>
        <div className="check">
          <input
            id={`${id}-quiet`}
            type="checkbox"
            checked={quiet}
            onChange={(e) => setQuiet(e.target.checked)}
            aria-describedby={`${id}-quiet-hint`}
          />
          <label htmlFor={`${id}-quiet`}>Quiet hours</label>
          <p className="field-hint" id={`${id}-quiet-hint`}>
            Hold alert emails during these hours ({user.timeZone} time); they arrive when quiet
            hours end.
          </p>
        </div>
        {quiet && (
          <fieldset className="time-range">
            <legend className="visually-hidden">Quiet hours</legend>
            <Field
              label="From"
              type="time"
              step={60}
              required
              value={start}
              onChange={(e) => setStart(e.target.value)}
            />
            <Field
              label="Until"
              type="time"
              step={60}
              required
              value={end}
              onChange={(e) => setEnd(e.target.value)}
            />
          </fieldset>
        )}
        <div className="check">
          <input
            id={`${id}-digest`}
            type="checkbox"
            checked={digest}
            onChange={(e) => setDigest(e.target.checked)}
            aria-describedby={`${id}-digest-hint`}
          />
          <label htmlFor={`${id}-digest`}>Daily digest</label>
          <p className="field-hint" id={`${id}-digest-hint`}>
            One message a day instead of one per drop: alerts still show under Notifications at
            once, and your email and other channels get the day’s alerts together at the hour you
            pick ({user.timeZone} time).
          </p>
        </div>
        {digest && (
          <fieldset className="time-range">
            <legend className="visually-hidden">Daily digest</legend>
            <SelectField
              label="Send it at"
              value={String(digestHour)}
              onChange={(e) => setDigestHour(Number(e.target.value))}
            >
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {hourLabel(h, user.locale)}
                </option>
              ))}
            </SelectField>
          </fieldset>
        )}
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <ErrorNote error={save.error} />
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save notifications'}
          </button>
          <Saved text={save.done} />
        </div>
      </form>
    </Section>
  );
}
