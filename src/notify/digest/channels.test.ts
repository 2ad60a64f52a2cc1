/**
 * The daily digest on channels other than email: a short summary per medium, escaped for it, and
 * sent through the channel's `sendDigest` (Telegram and webhooks against their stand-ins).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertFixture,
  EVIL_TITLE,
  FIXED_NOW,
  sendContext,
  standinFetcher,
} from '../../../test/standins/context.js';
import { startTelegramStandin, parseTelegramHtml } from '../../../test/standins/telegram.js';
import { startWebhookReceiver } from '../../../test/standins/webhook-receiver.js';
import {
  createChannelRegistry,
  digestKinds,
  sendDigest,
  type DigestMessage,
} from '../channels/index.js';
import { escapeDiscordMarkdown, renderDiscordDigest } from '../channels/discord.js';
import { renderNtfyDigest } from '../channels/ntfy.js';
import { digestSummary } from '../channels/render.js';
import { renderSlackDigest } from '../channels/slack.js';
import { renderSmsDigest } from '../channels/sms.js';
import { renderTelegramDigest } from '../channels/telegram.js';
import { webhookDigestPayload } from '../channels/webhook.js';
import { webPushDigestPayload } from '../channels/webpush.js';

function digest(n = 2, overrides: Partial<DigestMessage> = {}): DigestMessage {
  const alerts = Array.from({ length: n }, (_, i) =>
    alertFixture({
      notificationId: i + 1,
      productId: 9 + i,
      productTitle: i === 0 ? EVIL_TITLE : `Toaster ${i}`,
      kind: i === 1 ? 'back_in_stock' : 'price_drop',
    }),
  );
  return {
    digestId: 77,
    userId: 7,
    localDay: '2025-06-01',
    timeZone: 'Europe/Berlin',
    alerts,
    total: n,
    inboxUrl: 'https://pricehawk.example/notifications',
    userName: 'Eve',
    locale: 'de-DE',
    currencyDisplay: 'symbol',
    createdAt: FIXED_NOW,
    ...overrides,
  };
}
const flat = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

describe('digest summary', () => {
  it('counts the alerts, shows the first ones with their prices, and links the inbox', () => {
    const s = digestSummary(digest(5), 3);
    expect(s.title).toBe('Daily digest: 5 alerts');
    expect(s.lines).toHaveLength(3);
    expect(flat(s.lines[0] ?? '')).toMatch(/^Kettle .*…: now 129,99 € \(-18%\)$/);
    expect(flat(s.lines[1] ?? '')).toBe('Toaster 1: back in stock at 129,99 €');
    expect(s.more).toBe(2);
    expect(s.url).toBe('https://pricehawk.example/notifications');
    expect(digestSummary(digest(1)).title).toBe('Daily digest: 1 alert');
  });
});

describe('digest renderers escape for their medium', () => {
  it('Telegram: parses as HTML with the title as text, our link only', () => {
    const parsed = parseTelegramHtml(renderTelegramDigest(digest()));
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.visible).toContain('Kettle <b>hot</b> & "cold"');
    expect(parsed.links).toEqual(['https://pricehawk.example/notifications']);
  });

  it('Slack: no mrkdwn link or tag from the title', () => {
    const p = renderSlackDigest(digest()) as { blocks: Array<{ text: { text: string } }> };
    const text = p.blocks[0]?.text.text ?? '';
    expect(text).toContain('Kettle &lt;b&gt;hot&lt;/b&gt; &amp;');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('<https://pricehawk.example/notifications|All your alerts>');
  });

  it('Discord: markdown escaped, no mentions', () => {
    const p = renderDiscordDigest(digest()) as {
      embeds: Array<{ description: string }>;
      allowed_mentions: unknown;
    };
    expect(p.embeds[0]?.description).toContain(escapeDiscordMarkdown('@everyone'));
    expect(p.embeds[0]?.description).not.toContain('[win](https://evil.example)');
    expect(p.allowed_mentions).toEqual({ parse: [] });
  });

  it('ntfy, web push and SMS: plain text, bounded, with the inbox', () => {
    const n = renderNtfyDigest(digest(7));
    expect(n.title).toBe('Daily digest: 7 alerts');
    expect(n.body.split('\n')).toHaveLength(6); // five alerts and "… and 2 more"
    expect(n.click).toBe('https://pricehawk.example/notifications');
    const w = webPushDigestPayload(digest(7));
    expect(w).toMatchObject({ title: 'Daily digest: 7 alerts', tag: 'pricehawk-digest-77' });
    expect(w.url).toBe('https://pricehawk.example/notifications');
    const sms = renderSmsDigest(digest(40));
    expect(sms.length).toBeLessThanOrEqual(320);
    expect(sms).toMatch(
      /^Pricehawk daily digest: 40 alerts: .* \+\d+ more\. https:\/\/pricehawk\.example\/notifications$/,
    );
    expect(sms).not.toMatch(/[\r\n]/);
  });

  it('webhook: every alert as in the single-alert payload', () => {
    const p = webhookDigestPayload(digest(), 'https://pricehawk.example') as {
      type: string;
      data: { digest_id: string; total: number; alerts: Array<{ price: unknown }> };
    };
    expect(p.type).toBe('alerts.digest');
    expect(p.data.digest_id).toBe('77');
    expect(p.data.total).toBe(2);
    expect(p.data.alerts[0]?.price).toEqual({ amount: '129.99', currency: 'EUR' });
  });
});

describe('sendDigest over the wire', () => {
  const TOKEN = '123456789:AAE_test-token-0123456789abcdefghij';
  let telegram: Awaited<ReturnType<typeof startTelegramStandin>>;
  const secret = 'whsec_' + Buffer.from('digest-test-secret-0123456789ab').toString('base64');
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let fetcher: ReturnType<typeof standinFetcher>;

  beforeAll(async () => {
    telegram = await startTelegramStandin({ token: TOKEN });
    telegram.chats.add('42');
    hooks = await startWebhookReceiver({ secret, now: () => FIXED_NOW });
    fetcher = standinFetcher({
      trusted: [telegram.host, `hooks.customer.test:${hooks.port}`],
      loopbackNames: ['hooks.customer.test'],
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await telegram.close();
    await hooks.close();
  });

  it('every channel of the registry can carry a digest', () => {
    expect(digestKinds(createChannelRegistry({}))).toEqual([
      'webhook',
      'telegram',
      'discord',
      'slack',
      'ntfy',
    ]);
  });

  it('Telegram gets the summary message', async () => {
    const registry = createChannelRegistry({ telegram: { apiBase: telegram.origin } });
    const r = await sendDigest(
      registry,
      'telegram',
      { url: `tgram://${TOKEN}/42` },
      digest(),
      sendContext(fetcher, { idempotencyKey: 'pricehawk-digest-77-telegram' }),
    );
    expect(r.ok).toBe(true);
    expect(telegram.messages.at(-1)?.visible).toMatch(/^Daily digest: 2 alerts\n• Kettle/);
  });

  it('a webhook gets the signed digest payload, with the digest’s idempotency key as its id', async () => {
    const config = { url: `http://hooks.customer.test:${hooks.port}/hook`, secret };
    const r = await sendDigest(
      createChannelRegistry({}),
      'webhook',
      config,
      digest(),
      sendContext(fetcher, { idempotencyKey: 'pricehawk-digest-77-webhook' }),
    );
    expect(r).toMatchObject({ ok: true });
    expect(hooks.refused).toEqual([]);
    const got = hooks.accepted.at(-1);
    expect(got?.id).toBe('pricehawk-digest-77-webhook');
    expect(got?.payload.type).toBe('alerts.digest');
    expect(got?.payload.data.alerts).toHaveLength(2);
  });

  it('answers a permanent failure for a channel that cannot carry a digest', async () => {
    const r = await sendDigest(
      createChannelRegistry({}),
      'sms',
      { phone: '+15005550006' },
      digest(),
      sendContext(fetcher),
    );
    expect(r).toMatchObject({ ok: false, permanent: true, code: 'channel_unavailable' });
  });
});
