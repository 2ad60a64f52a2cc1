/**
 * What each alert channel is called, what it does and how to set it up: the help text and the
 * URL formats the server accepts (src/notify/channels/*: Apprise-style URLs for the chat apps).
 */
import type { ReactNode } from 'react';
import type { ChannelKind } from '../../api';

export type UrlKind = 'webhook' | 'telegram' | 'discord' | 'slack' | 'ntfy';

export interface KindInfo {
  readonly label: string;
  readonly description: string;
}

export const KINDS: Readonly<Record<ChannelKind, KindInfo>> = {
  email: {
    label: 'Email',
    description: 'An email for each alert, to your confirmed address.',
  },
  webpush: {
    label: 'Push notifications',
    description:
      'A notification from your browser on this computer or phone, even when Pricehawk is not open.',
  },
  sms: {
    label: 'Text message (SMS)',
    description: 'A short text to your phone. The number is confirmed with a code first.',
  },
  webhook: {
    label: 'Webhook',
    description:
      'A signed JSON POST to your own URL for each alert: for scripts, home automation and your own services.',
  },
  telegram: {
    label: 'Telegram',
    description: 'A message from your Telegram bot to you, a group or a channel.',
  },
  discord: {
    label: 'Discord',
    description: 'A message in a Discord channel through one of its webhooks.',
  },
  slack: {
    label: 'Slack',
    description: 'A message in a Slack channel through an incoming webhook.',
  },
  ntfy: {
    label: 'ntfy',
    description:
      'A push to the ntfy app on your phone or desktop, from ntfy.sh or your own server.',
  },
};

export interface UrlFormInfo {
  readonly fieldLabel: string;
  readonly placeholder: string;
  /** How to get the URL, step by step. */
  readonly steps: ReactNode;
  /** Every accepted form, each with an example. */
  readonly forms: ReadonlyArray<{ readonly example: string; readonly means: string }>;
}

export const URL_FORMS: Readonly<Record<UrlKind, UrlFormInfo>> = {
  webhook: {
    fieldLabel: 'Webhook URL',
    placeholder: 'https://example.com/hooks/pricehawk',
    steps: (
      <>
        Pricehawk POSTs JSON to this address and signs each request the{' '}
        <a href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer">
          Standard Webhooks
        </a>{' '}
        way: check the <code>webhook-signature</code> header (HMAC-SHA256 of{' '}
        <code>webhook-id.webhook-timestamp.body</code>) with the signing secret shown once after you
        save. The address must be public; answer with any 2xx status.
      </>
    ),
    forms: [
      { example: 'https://example.com/hooks/pricehawk', means: 'your endpoint (https)' },
      { example: 'http://example.com:8080/alerts', means: 'plain http also works, unencrypted' },
    ],
  },
  telegram: {
    fieldLabel: 'Telegram URL',
    placeholder: 'tgram://123456789:AAE-your-bot-token/987654321',
    steps: (
      <>
        Create a bot with <strong>@BotFather</strong> (it gives you the bot token), send your bot
        any message (or add it to your group or channel), then find the chat id, for example by
        asking <strong>@userinfobot</strong>. Write them as <code>tgram://bot_token/chat_id</code>.
      </>
    ),
    forms: [
      {
        example: 'tgram://123456789:AAE-your-bot-token/987654321',
        means: 'a private chat with you',
      },
      { example: 'tgram://123456789:AAE-your-bot-token/-1001234567890', means: 'a group' },
      { example: 'tgram://123456789:AAE-your-bot-token/@mychannel', means: 'a public channel' },
    ],
  },
  discord: {
    fieldLabel: 'Discord webhook URL',
    placeholder: 'https://discord.com/api/webhooks/…',
    steps: (
      <>
        In Discord: <strong>Edit channel → Integrations → Webhooks → New webhook</strong>, then{' '}
        <strong>Copy webhook URL</strong> and paste it here.
      </>
    ),
    forms: [
      {
        example: 'https://discord.com/api/webhooks/112233445566778899/abcDEF-your-webhook-token',
        means: 'the URL Discord shows',
      },
      {
        example: 'discord://112233445566778899/abcDEF-your-webhook-token',
        means: 'the same, as discord://webhook_id/webhook_token',
      },
    ],
  },
  slack: {
    fieldLabel: 'Slack webhook URL',
    placeholder: 'https://hooks.slack.com/services/T…/B…/…',
    steps: (
      <>
        In Slack, create an app at{' '}
        <a href="https://api.slack.com/apps" target="_blank" rel="noreferrer">
          api.slack.com/apps
        </a>
        , turn on <strong>Incoming Webhooks</strong>, add one for your channel and paste its URL
        here.
      </>
    ),
    forms: [
      {
        example: 'https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        means: 'the URL Slack shows',
      },
      {
        example: 'slack://T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        means: 'the same, as slack://team/bot/secret',
      },
    ],
  },
  ntfy: {
    fieldLabel: 'ntfy URL',
    placeholder: 'ntfy://your-secret-topic',
    steps: (
      <>
        Pick a topic name nobody will guess, subscribe to it in the{' '}
        <a href="https://ntfy.sh" target="_blank" rel="noreferrer">
          ntfy
        </a>{' '}
        app, and write it here. <code>ntfys://</code> means https, <code>ntfy://</code> with a host
        means plain http.
      </>
    ),
    forms: [
      {
        example: 'ntfy://pricehawk-k3j9x2',
        means: 'a topic on the public server (ntfy.sh, unless this Pricehawk uses another)',
      },
      { example: 'ntfys://ntfy.example.com/prices', means: 'a topic on your own server' },
      {
        example: 'ntfys://user:password@ntfy.example.com/prices',
        means: 'a protected topic, with a login',
      },
      {
        example: 'ntfys://tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2@ntfy.example.com/prices',
        means: 'a protected topic, with an access token',
      },
    ],
  },
};

export function isUrlKind(kind: ChannelKind): kind is UrlKind {
  return kind in URL_FORMS;
}
