import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import {
  alertFixture,
  FIXED_NOW,
  sendContext,
  standinFetcher,
} from '../../../test/standins/context.js';
import { startTwilioStandin, type TwilioStandin } from '../../../test/standins/twilio.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { confirmPhoneVerification, startPhoneVerification } from './phone-verification.js';
import { createSmsChannel, normalizePhone, renderSms, type SmsConfig } from './sms.js';
import { getUserChannel } from './store.js';
import { ChannelConfigError } from './types.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'auth-token-0123456789abcdef';

describe('phone numbers', () => {
  it.each([
    ['+1 (415) 555-0123', '+14155550123'],
    ['0049 30 1234567', '+49301234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalizes %s to %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it.each(['4155550123', '+0123456789', '+1 415', 'call me', '+1234567890123456'])(
    'refuses %s with phone_invalid',
    (raw) => {
      expect(() => normalizePhone(raw)).toThrow(ChannelConfigError);
      expect(() => normalizePhone(raw)).toThrow(/international form/);
    },
  );
});

describe('sms channel: configuration', () => {
  const channel = createSmsChannel({ accountSid: SID, authToken: TOKEN, from: '+15005550006' });

  it('needs proof again only when the number changes', () => {
    const first = channel.configure({ phone: '+1 415 555 0123' }, null);
    expect(first).toEqual({
      config: { phone: '+14155550123', verifiedPhone: null },
      resetVerification: true,
    });
    const verified: SmsConfig = { phone: '+14155550123', verifiedPhone: '+14155550123' };
    expect(channel.configure({ phone: '+14155550123' }, verified)).toEqual({
      config: verified,
      resetVerification: false,
    });
    expect(channel.configure({ phone: '+14155550999' }, verified).config.verifiedPhone).toBeNull();
  });

  it('ignores a verifiedPhone the user sends', () => {
    const c = channel.configure({ phone: '+14155550123', verifiedPhone: '+14155550123' }, null);
    expect(c.config.verifiedPhone).toBeNull();
  });

  it('describes a masked number', () => {
    expect(channel.describe({ phone: '+14155550123', verifiedPhone: '+14155550123' })).toBe(
      'SMS to +14…123',
    );
  });

  it('writes a short body: trimmed title, price, drop, link', () => {
    const body = renderSms(alertFixture({ productTitle: 'A very long product title '.repeat(10) }));
    expect(Array.from(body).length).toBeLessThanOrEqual(160);
    expect(body.replace(/\u00a0/g, ' ')).toMatch(
      /^Pricehawk price drop: A very long.*… now 129,99 € \(-18%\)\. https:\/\/pricehawk\.example\/products\/9$/,
    );
  });
});

describe('sms channel against the Twilio stand-in', () => {
  let twilio: TwilioStandin;
  let fetcher: Fetcher;
  const verified: SmsConfig = { phone: '+14155550123', verifiedPhone: '+14155550123' };
  const channel = (over: Partial<Parameters<typeof createSmsChannel>[0]> = {}) =>
    createSmsChannel({
      accountSid: SID,
      authToken: TOKEN,
      from: '+15005550006',
      baseUrl: twilio.origin,
      ...over,
    });

  beforeAll(async () => {
    twilio = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
    twilio.invalidNumbers.add('+15005550001');
    twilio.stoppedNumbers.add('+15005550002');
    fetcher = standinFetcher({ trusted: [twilio.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await twilio.close();
  });

  it('sends form-encoded To/From/Body with Basic auth and our idempotency token', async () => {
    const r = await channel().send(verified, alertFixture(), sendContext(fetcher));
    const m = twilio.messages.at(-1);
    expect(r).toEqual({ ok: true, providerId: m?.sid });
    expect(m).toMatchObject({
      to: '+14155550123',
      from: '+15005550006',
      idempotencyToken: 'n42-test',
    });
    expect(m?.body).toContain('https://pricehawk.example/products/9');
  });

  it('can send through a Messaging Service instead of a number', async () => {
    const r = await channel({
      from: undefined,
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
    }).send(verified, alertFixture(), sendContext(fetcher));
    expect(r.ok).toBe(true);
    expect(twilio.messages.at(-1)).toMatchObject({
      from: null,
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
    });
  });

  it('sends nothing to a number that was not confirmed', async () => {
    const before = twilio.requests.length;
    const r = await channel().send(
      { phone: '+14155550123', verifiedPhone: null },
      alertFixture(),
      sendContext(fetcher),
    );
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'sms_unverified' });
    expect(twilio.requests.length).toBe(before);
  });

  it('tells Twilio errors apart: 429 transient, 21211 permanent, 21610 gone, bad credentials permanent', async () => {
    twilio.rateLimitNext();
    expect(await channel().send(verified, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: false,
      code: 'twilio_20429',
    });
    const bad: SmsConfig = { phone: '+15005550001', verifiedPhone: '+15005550001' };
    expect(await channel().send(bad, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      code: 'twilio_21211',
    });
    const stopped: SmsConfig = { phone: '+15005550002', verifiedPhone: '+15005550002' };
    expect(await channel().send(stopped, alertFixture(), sendContext(fetcher))).toMatchObject({
      ok: false,
      permanent: true,
      gone: true,
      code: 'twilio_21610',
    });
    expect(
      await channel({ authToken: 'wrong' }).send(verified, alertFixture(), sendContext(fetcher)),
    ).toMatchObject({
      ok: false,
      permanent: true,
      code: 'twilio_20003',
    });
  });

  it('refuses a configuration with both or neither of From and a Messaging Service', () => {
    expect(() => createSmsChannel({ accountSid: SID, authToken: TOKEN })).toThrow(/exactly one/);
  });
});

describe('phone verification by code', () => {
  let db: TestDatabase;
  let twilio: TwilioStandin;
  let fetcher: Fetcher;
  let now = FIXED_NOW;
  const key = randomBytes(32);
  const clock = () => now;

  beforeAll(async () => {
    db = await createTestDatabase();
    twilio = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
    fetcher = standinFetcher({ trusted: [twilio.host] });
  });
  afterAll(async () => {
    await fetcher.close();
    await twilio.close();
    await db.drop();
  });

  const newUser = async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into users (email, name, password_hash) values ($1, 'Phone', 'x') returning id`,
      [`p${randomBytes(4).toString('hex')}@example.com`],
    );
    return rows[0]?.id ?? 0;
  };
  const deps = () => ({
    pool: db.pool,
    clock,
    key,
    fetcher,
    publicUrl: 'https://pricehawk.example',
    sms: createSmsChannel({
      accountSid: SID,
      authToken: TOKEN,
      from: '+15005550006',
      baseUrl: twilio.origin,
    }),
  });
  const lastCode = () => /code is (\d{6})/.exec(twilio.messages.at(-1)?.body ?? '')?.[1] ?? '';

  it('sends a code, refuses a wrong one, accepts the right one and verifies the channel', async () => {
    now = FIXED_NOW;
    const user = await newUser();
    const started = await startPhoneVerification(deps(), user, '+1 415 555 0100');
    expect(started).toEqual({
      ok: true,
      phone: '+14155550100',
      expiresAt: new Date(FIXED_NOW.getTime() + 600_000),
    });
    const code = lastCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(twilio.messages.at(-1)?.body).toContain(`@pricehawk.example #${code}`);
    // Only a hash is stored.
    const stored = await db.pool.query<{ code_hash: Buffer }>(
      `select code_hash from phone_verifications where user_id = $1`,
      [user],
    );
    expect(stored.rows[0]?.code_hash.toString('utf8')).not.toContain(code);

    const wrong = code === '000000' ? '111111' : '000000';
    expect(await confirmPhoneVerification(deps(), user, wrong)).toEqual({
      ok: false,
      code: 'wrong_code',
      attemptsLeft: 4,
    });
    expect(
      await confirmPhoneVerification(deps(), user, ` ${code.slice(0, 3)} ${code.slice(3)} `),
    ).toEqual({
      ok: true,
      phone: '+14155550100',
    });
    const ch = await getUserChannel(db.pool, user, 'sms');
    expect(ch).toMatchObject({
      enabled: true,
      config: { phone: '+14155550100', verifiedPhone: '+14155550100' },
    });
    expect(ch?.verifiedAt).toEqual(FIXED_NOW);
    // The code is spent.
    expect(await confirmPhoneVerification(deps(), user, code)).toEqual({
      ok: false,
      code: 'no_pending',
    });
  });

  it('locks after five wrong attempts, even for the right code', async () => {
    now = FIXED_NOW;
    const user = await newUser();
    await startPhoneVerification(deps(), user, '+14155550101');
    const code = lastCode();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await confirmPhoneVerification(deps(), user, wrong);
    expect(await confirmPhoneVerification(deps(), user, code)).toEqual({
      ok: false,
      code: 'too_many_attempts',
    });
  });

  it('refuses an expired code', async () => {
    now = FIXED_NOW;
    const user = await newUser();
    await startPhoneVerification(deps(), user, '+14155550102');
    const code = lastCode();
    now = new Date(FIXED_NOW.getTime() + 11 * 60_000);
    expect(await confirmPhoneVerification(deps(), user, code)).toEqual({
      ok: false,
      code: 'expired',
    });
  });

  it('limits codes per user per hour', async () => {
    now = FIXED_NOW;
    const user = await newUser();
    for (let i = 0; i < 3; i++) {
      expect((await startPhoneVerification(deps(), user, `+1415555020${i}`)).ok).toBe(true);
    }
    const before = twilio.messages.length;
    expect(await startPhoneVerification(deps(), user, '+14155550209')).toEqual({
      ok: false,
      code: 'rate_limited',
      retryAfterMs: 3_600_000,
    });
    expect(twilio.messages.length).toBe(before);
    now = new Date(FIXED_NOW.getTime() + 3_600_001);
    expect((await startPhoneVerification(deps(), user, '+14155550209')).ok).toBe(true);
  });

  it('reports a code that could not be sent, and that code never works', async () => {
    now = FIXED_NOW;
    const user = await newUser();
    twilio.invalidNumbers.add('+14155550300');
    const r = await startPhoneVerification(
      { ...deps(), newCode: () => '123456' },
      user,
      '+14155550300',
    );
    expect(r).toMatchObject({ ok: false, code: 'send_failed' });
    expect(await confirmPhoneVerification(deps(), user, '123456')).toEqual({
      ok: false,
      code: 'expired',
    });
  });
});
