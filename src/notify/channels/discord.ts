/**
 * Discord through an incoming webhook: `POST https://discord.com/api/webhooks/{id}/{token}?wait=true`
 * with JSON `{content, embeds, allowed_mentions: {parse: []}}`. Configured as
 * `discord://{webhook_id}/{webhook_token}` (the Apprise form) or by pasting the https URL Discord
 * shows. `allowed_mentions` with an empty `parse` means no @everyone, @here, role or user ping
 * whatever a product title says; markdown in the title is escaped so it cannot add a masked link.
 */
import { z } from 'zod';
import { baseUrl, parseWith, splitServiceUrl } from './config.js';
import { callProvider, httpFailure, isOk, jsonOf, ok } from './http.js';
import {
  digestSummary,
  label,
  money,
  moreLine,
  priceLine,
  safeHttpUrl,
  sampleAlert,
  targetLine,
  titleOf,
  truncate,
} from './render.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface DiscordConfig {
  /** The canonical `discord://` URL. SECRET (holds the webhook token). */
  readonly url: string;
  readonly webhookId: string;
  readonly webhookToken: string;
}

export interface DiscordOptions {
  /** Default https://discord.com; a stand-in in tests. */
  readonly apiBase?: string;
}

const EXAMPLE = 'discord://{webhook_id}/{webhook_token}';
const ID_RE = /^\d{15,25}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{20,200}$/;
const Input = z.object({ url: z.string().max(2000) });

export function parseDiscordUrl(raw: unknown): DiscordConfig {
  let id: string | undefined;
  let token: string | undefined;
  const pasted =
    typeof raw === 'string'
      ? /^https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/i.exec(
          raw.trim(),
        )
      : null;
  if (pasted) {
    [, id, token] = pasted;
  } else {
    const u = splitServiceUrl(raw, ['discord'], EXAMPLE);
    if (u.segments.length !== 1) {
      throw new ChannelConfigError('channel_url_invalid', `expected ${EXAMPLE}`);
    }
    id = u.authority;
    token = u.segments[0];
  }
  if (!id || !ID_RE.test(id)) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      'the webhook id must be a number (from the webhook URL)',
    );
  }
  if (!token || !TOKEN_RE.test(token)) {
    throw new ChannelConfigError('channel_url_invalid', 'that is not a Discord webhook token');
  }
  return { url: `discord://${id}/${token}`, webhookId: id, webhookToken: token };
}

/** Backslash-escapes Discord markdown so text shows as typed (no bold, links, headings, quotes). */
export function escapeDiscordMarkdown(s: string): string {
  return s.replace(/([\\*_~`|>#\-[\]()<:@!])/g, '\\$1');
}

/** A URL inside a markdown link: parentheses would end the link early. */
const mdUrl = (u: string) => u.replace(/\(/g, '%28').replace(/\)/g, '%29');

export function renderDiscord(m: AlertMessage): Record<string, unknown> {
  const md = escapeDiscordMarkdown;
  const page = safeHttpUrl(m.productPageUrl);
  const store = safeHttpUrl(m.storeUrl);
  const image = safeHttpUrl(m.imageUrl);
  const title = titleOf(m, 250);
  const fields: Array<{ name: string; value: string; inline: boolean }> = [];
  if (m.price) fields.push({ name: 'Price', value: md(money(m, m.price)), inline: true });
  if (m.previous && m.kind === 'price_drop') {
    fields.push({ name: 'Was', value: md(money(m, m.previous)), inline: true });
  }
  if (m.target) fields.push({ name: 'Your target', value: md(money(m, m.target)), inline: true });
  const links = [
    store ? `[View in store](${mdUrl(store)})` : null,
    page ? `[Price history](${mdUrl(page)})` : null,
  ].filter((x) => x !== null);
  const target = targetLine(m);
  const description = [md(priceLine(m)), target ? md(target) : null, links.join(' · ')]
    .filter((x) => x)
    .join('\n');
  return {
    username: 'Pricehawk',
    content: truncate(`**${md(label(m))}**: ${md(title)}`, 2000),
    embeds: [
      {
        title, // embed titles show text as is
        ...(page ? { url: page } : {}),
        description: truncate(description, 4096),
        color: m.kind === 'back_in_stock' ? 0x2f855a : 0xb4461b,
        fields,
        ...(image ? { thumbnail: { url: image } } : {}),
        footer: { text: 'Pricehawk' },
        timestamp: m.createdAt.toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** The daily digest as a short summary: a line per alert and a link to the inbox. */
export function renderDiscordDigest(d: DigestMessage): Record<string, unknown> {
  const md = escapeDiscordMarkdown;
  const s = digestSummary(d, 10, 120);
  const more = moreLine(s);
  const inbox = safeHttpUrl(s.url);
  const description = [
    ...s.lines.map((l) => `• ${md(l)}`),
    ...(more ? [md(more)] : []),
    ...(inbox ? [`[All your alerts](${mdUrl(inbox)})`] : []),
  ].join('\n');
  return {
    username: 'Pricehawk',
    content: `**${md(s.title)}**`,
    embeds: [
      {
        title: s.title,
        ...(inbox ? { url: inbox } : {}),
        description: truncate(description, 4096),
        color: 0xb4461b,
        footer: { text: 'Pricehawk' },
        timestamp: d.createdAt.toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

interface DiscordAnswer {
  id?: string;
  message?: string;
  code?: number;
  retry_after?: number;
  global?: boolean;
}

export function createDiscordChannel(opts: DiscordOptions = {}): Channel<DiscordConfig> {
  const api = baseUrl(opts.apiBase ?? 'https://discord.com');

  async function post(
    config: DiscordConfig,
    m: AlertMessage,
    ctx: SendContext,
  ): Promise<SendResult> {
    return postJson(config, renderDiscord(m), ctx);
  }

  async function postJson(
    config: DiscordConfig,
    payload: Record<string, unknown>,
    ctx: SendContext,
  ): Promise<SendResult> {
    const now = ctx.clock();
    return callProvider(
      ctx,
      {
        // wait=true: Discord answers with the created message (its id) instead of 204.
        url: `${api}/api/webhooks/${config.webhookId}/${config.webhookToken}?wait=true`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      },
      (res) => {
        const a = (jsonOf(res) ?? {}) as DiscordAnswer;
        if (isOk(res.status)) return ok(a.id);
        const message = a.message
          ? `${a.message}${a.code ? ` (${a.code})` : ''}`
          : `HTTP ${res.status}`;
        if (res.status === 429) {
          return httpFailure(res, now, {
            code: 'discord_rate_limited',
            message,
            ...(typeof a.retry_after === 'number'
              ? { retryAfterMs: Math.ceil(a.retry_after * 1000) }
              : {}),
          });
        }
        // 10015 Unknown Webhook; 50027 Invalid Webhook Token: deleted or regenerated.
        if (res.status === 404 || res.status === 401 || a.code === 10015 || a.code === 50027) {
          return httpFailure(res, now, { code: 'discord_webhook_gone', message, gone: true });
        }
        return httpFailure(res, now, { code: `discord_${res.status}`, message });
      },
    );
  }

  return {
    kind: 'discord',
    parseConfig: (raw) => parseDiscordUrl(parseWith(Input, raw).url),
    configure: (input) => ({
      config: parseDiscordUrl(parseWith(Input, input).url),
      resetVerification: false,
    }),
    describe: (c) => `Discord webhook ${c.webhookId}`,
    rateKey: (c) => `discord:${c.webhookId}`,
    send: post,
    sendTest: (config, ctx) => post(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) => postJson(config, renderDiscordDigest(d), ctx),
  };
}
