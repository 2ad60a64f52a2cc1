/**
 * Slack through an incoming webhook: `POST https://hooks.slack.com/services/{T…}/{B…}/{secret}`
 * with JSON `{text, blocks}`. Configured as `slack://{T…}/{B…}/{secret}` (the Apprise form) or by
 * pasting the https URL Slack shows. Text is mrkdwn: `&`, `<` and `>` are escaped as Slack asks,
 * so a title cannot open a link, a mention (`<!channel>`) or a user reference of its own.
 */
import { z } from 'zod';
import { baseUrl, parseWith, splitServiceUrl } from './config.js';
import { callProvider, httpFailure, isOk, ok, oneLine } from './http.js';
import {
  digestSummary,
  label,
  moreLine,
  priceLine,
  safeHttpUrl,
  sampleAlert,
  targetLine,
  titleOf,
} from './render.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface SlackConfig {
  /** The canonical `slack://` URL. SECRET (holds the webhook secret). */
  readonly url: string;
  readonly team: string;
  readonly bot: string;
  readonly secret: string;
}

export interface SlackOptions {
  /** Default https://hooks.slack.com; a stand-in in tests. */
  readonly apiBase?: string;
}

const EXAMPLE = 'slack://T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const Input = z.object({ url: z.string().max(2000) });

export function parseSlackUrl(raw: unknown): SlackConfig {
  let parts: string[];
  const pasted =
    typeof raw === 'string'
      ? /^https:\/\/hooks\.slack\.com\/services\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)\/?$/i.exec(
          raw.trim(),
        )
      : null;
  if (pasted) {
    parts = pasted.slice(1);
  } else {
    const u = splitServiceUrl(raw, ['slack'], EXAMPLE);
    if (u.user !== undefined) {
      throw new ChannelConfigError(
        'channel_url_invalid',
        `Pricehawk posts through an incoming webhook: ${EXAMPLE}`,
      );
    }
    parts = [u.authority, ...u.segments];
  }
  const [team = '', bot = '', secret = ''] = parts;
  if (parts.length !== 3 || !/^[TE][A-Z0-9]{6,14}$/.test(team) || !/^B[A-Z0-9]{6,14}$/.test(bot)) {
    throw new ChannelConfigError('channel_url_invalid', `expected ${EXAMPLE}`);
  }
  if (!/^[A-Za-z0-9]{16,64}$/.test(secret)) {
    throw new ChannelConfigError('channel_url_invalid', 'that is not a Slack webhook secret');
  }
  return { url: `slack://${team}/${bot}/${secret}`, team, bot, secret };
}

/** The three characters Slack's mrkdwn asks to escape. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|text>`: the URL escaped too, and `|` in it encoded so it cannot end the URL early. */
function slackLink(url: string, text: string): string {
  return `<${escapeSlack(url).replace(/\|/g, '%7C')}|${escapeSlack(text)}>`;
}

export function renderSlack(m: AlertMessage): Record<string, unknown> {
  const page = safeHttpUrl(m.productPageUrl);
  const store = safeHttpUrl(m.storeUrl);
  const image = safeHttpUrl(m.imageUrl);
  const title = titleOf(m, 250);
  const target = targetLine(m);
  const lines = [
    `*${escapeSlack(label(m))}*: ${page ? slackLink(page, title) : escapeSlack(title)}`,
    escapeSlack(priceLine(m)),
    ...(target ? [escapeSlack(target)] : []),
  ];
  const links = [
    store ? slackLink(store, 'View in store') : null,
    page ? slackLink(page, 'Price history') : null,
  ].filter((x) => x !== null);
  return {
    // The fallback for notifications and old clients.
    text: `${escapeSlack(label(m))}: ${escapeSlack(title)}. ${escapeSlack(priceLine(m))}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: lines.join('\n') },
        // alt_text is plain text: no mrkdwn, nothing to escape.
        ...(image
          ? { accessory: { type: 'image', image_url: image, alt_text: oneLine(title, 200) } }
          : {}),
      },
      ...(links.length > 0
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] }]
        : []),
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** The daily digest as a short summary: a line per alert and a link to the inbox. */
export function renderSlackDigest(d: DigestMessage): Record<string, unknown> {
  const s = digestSummary(d, 10, 120);
  const more = moreLine(s);
  const inbox = safeHttpUrl(s.url);
  const lines = [
    `*${escapeSlack(s.title)}*`,
    ...s.lines.map((l) => `• ${escapeSlack(l)}`),
    ...(more ? [escapeSlack(more)] : []),
    ...(inbox ? [slackLink(inbox, 'All your alerts')] : []),
  ];
  return {
    text: escapeSlack(s.title),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
    unfurl_links: false,
    unfurl_media: false,
  };
}

export function createSlackChannel(opts: SlackOptions = {}): Channel<SlackConfig> {
  const api = baseUrl(opts.apiBase ?? 'https://hooks.slack.com');

  async function post(config: SlackConfig, m: AlertMessage, ctx: SendContext): Promise<SendResult> {
    return postJson(config, renderSlack(m), ctx);
  }

  async function postJson(
    config: SlackConfig,
    payload: Record<string, unknown>,
    ctx: SendContext,
  ): Promise<SendResult> {
    const now = ctx.clock();
    return callProvider(
      ctx,
      {
        url: `${api}/services/${config.team}/${config.bot}/${config.secret}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      },
      (res) => {
        if (isOk(res.status)) return ok();
        // Incoming webhooks answer with a short text code: invalid_payload, no_service, …
        const code = oneLine(res.body, 60) || `http_${res.status}`;
        const gone =
          (res.status === 404 && /no_service|channel_not_found|no_team/.test(code)) ||
          (res.status === 410 && /channel_is_archived/.test(code)) ||
          (res.status === 403 && /invalid_token|action_prohibited/.test(code));
        return httpFailure(res, now, {
          code: res.status === 429 ? 'slack_rate_limited' : `slack_${code.replace(/\W+/g, '_')}`,
          message: `Slack answered ${res.status} ${code}`,
          gone,
        });
      },
    );
  }

  return {
    kind: 'slack',
    parseConfig: (raw) => parseSlackUrl(parseWith(Input, raw).url),
    configure: (input) => ({
      config: parseSlackUrl(parseWith(Input, input).url),
      resetVerification: false,
    }),
    describe: (c) => `Slack webhook ${c.team}/${c.bot}`,
    rateKey: (c) => `slack:${c.team}/${c.bot}`,
    send: post,
    sendTest: (config, ctx) => post(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) => postJson(config, renderSlackDigest(d), ctx),
  };
}
