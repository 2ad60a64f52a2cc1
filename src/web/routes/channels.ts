/**
 * Where a user's alerts go: the channels (email, web push, SMS, webhook, Telegram, Discord, Slack,
 * ntfy), each with a "send a test", phone verification for SMS, the browser's push subscriptions,
 * and the one-click unsubscribe link of alert email (RFC 8058).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getUser, updateProfile, type User } from '../../accounts/index.js';
import type { Fetcher } from '../../acquisition/fetcher.js';
import { hitLimits } from '../../accounts/index.js';
import { AppError } from '../../errors.js';
import {
  CHANNEL_KINDS,
  ChannelConfigError,
  confirmPhoneVerification,
  deletePushSubscription,
  deleteUserChannel,
  getUserChannel,
  listPushSubscriptions,
  listUserChannels,
  savePushSubscription,
  saveUserChannel,
  setUserChannelEnabled,
  startPhoneVerification,
  verifyUnsubscribeToken,
  type ChannelKind,
  type ChannelRegistry,
  type SendResult,
  type StoredChannelKind,
} from '../../notify/channels/index.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson } from '../presenters.js';

export interface ChannelDeps {
  readonly registry: ChannelRegistry;
  /** The fetcher for providers' APIs (test sends, SMS codes). */
  readonly fetcher: Fetcher;
  readonly unsubscribeKey: Buffer;
  readonly phoneCodeKey: Buffer;
  readonly vapidPublicKey: string;
}

const Kind = z.enum(CHANNEL_KINDS);
const HOUR = 3_600_000;

const ChannelJson = z
  .object({
    kind: Kind,
    enabled: z.boolean(),
    verified: z.boolean(),
    summary: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  })
  .meta({ id: 'Channel' });

const TestJson = z.object({
  ok: z.boolean(),
  code: z.string().optional(),
  message: z.string().optional(),
  permanent: z.boolean().optional(),
});

function testAnswer(results: SendResult[]): z.infer<typeof TestJson> {
  const failed = results.find((r) => !r.ok);
  if (!failed || failed.ok) return { ok: true };
  return { ok: false, code: failed.code, message: failed.message, permanent: failed.permanent };
}

export const channelRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    if (!deps.channels) return;
    const ch: ChannelDeps = deps.channels;
    const ctx = (key: string) => ({
      fetcher: ch.fetcher,
      idempotencyKey: key,
      clock: deps.clock,
      publicUrl: deps.publicUrl,
    });
    const available = (kind: ChannelKind) => {
      const channel = ch.registry.channelByKind(kind);
      if (!channel) throw new AppError('channel_unavailable', `${kind} is not offered here`, 404);
      return channel;
    };
    const configError = (err: unknown): never => {
      if (err instanceof ChannelConfigError) throw new AppError(err.code, err.message, 400);
      throw err;
    };

    async function listFor(user: User): Promise<z.infer<typeof ChannelJson>[]> {
      const rows = await listUserChannels(deps.pool, user.id);
      const subscriptions = await listPushSubscriptions(deps.pool, user.id);
      const out: z.infer<typeof ChannelJson>[] = [
        {
          kind: 'email',
          enabled: user.notificationPrefs.channels.email.enabled,
          verified: user.emailVerifiedAt !== null,
          summary: user.email,
          lastError: null,
          lastErrorAt: null,
        },
      ];
      for (const r of rows) {
        const channel = ch.registry.channelByKind(r.kind);
        let summary: string | null = null;
        if (r.kind === 'webpush') {
          summary = `${subscriptions.length} device${subscriptions.length === 1 ? '' : 's'}`;
        } else if (channel) {
          try {
            summary = channel.describe(channel.parseConfig(r.config));
          } catch {
            summary = null;
          }
        }
        out.push({
          kind: r.kind,
          enabled: r.enabled,
          verified: r.kind === 'sms' ? r.verifiedAt !== null : true,
          summary,
          lastError: r.lastError,
          lastErrorAt: r.lastErrorAt?.toISOString() ?? null,
        });
      }
      if (subscriptions.length > 0 && !rows.some((r) => r.kind === 'webpush')) {
        out.push({
          kind: 'webpush',
          enabled: true,
          verified: true,
          summary: `${subscriptions.length} device${subscriptions.length === 1 ? '' : 's'}`,
          lastError: null,
          lastErrorAt: null,
        });
      }
      return out;
    }

    app.get(
      '/me/channels',
      {
        schema: {
          tags: ['channels'],
          summary: 'Where your alerts go (never shows secrets)',
          response: {
            200: z.object({
              available: z.array(Kind),
              vapidPublicKey: z.string(),
              channels: z.array(ChannelJson),
            }),
            401: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        return {
          available: [...ch.registry.available],
          vapidPublicKey: ch.vapidPublicKey,
          channels: await listFor(user),
        };
      },
    );

    app.put(
      '/me/channels/:kind',
      {
        schema: {
          tags: ['channels'],
          summary: 'Set up or change a channel: {config} as the channel takes it, and/or {enabled}',
          description:
            'Configs: webhook {url, rotateSecret?}; sms {phone} (then verify it); telegram {url: "tgram://bot_token/chat_id"}; discord {url: "discord://id/token" or the webhook URL}; slack {url: "slack://T…/B…/secret" or the webhook URL}; ntfy {url: "ntfy://topic" or "ntfys://user:pass@host/topic"}; email and webpush take only {enabled}. A newly generated secret (the webhook\'s) is in `reveal`, this once.',
          params: z.object({ kind: Kind }),
          body: z.object({ enabled: z.boolean().optional(), config: z.unknown().optional() }),
          response: {
            200: z.object({
              channel: ChannelJson,
              reveal: z.record(z.string(), z.string()).optional(),
            }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const kind = req.params.kind;
        const now = deps.clock();
        if (kind === 'email') {
          const prefs = user.notificationPrefs;
          const updated = await updateProfile(
            deps.pool,
            user.id,
            {
              notificationPrefs: {
                ...prefs,
                channels: {
                  ...prefs.channels,
                  email: { enabled: req.body.enabled ?? prefs.channels.email.enabled },
                },
              },
            },
            now,
          );
          const channel = (await listFor(updated)).find((c) => c.kind === 'email');
          if (!channel) throw new Error('email channel missing');
          return { channel };
        }
        const channel = available(kind);
        const stored: StoredChannelKind = kind;
        let reveal: Record<string, string> | undefined;
        if (req.body.config === undefined || kind === 'webpush') {
          if (req.body.enabled === undefined)
            throw new AppError('validation_failed', 'send config or enabled', 400);
          if (!(await setUserChannelEnabled(deps.pool, user.id, stored, req.body.enabled, now))) {
            throw new AppError('channel_not_set_up', `set up ${kind} first`, 404);
          }
        } else {
          const row = await getUserChannel(deps.pool, user.id, stored);
          // A stored config that no longer parses is replaced as if there were none.
          let previous: unknown;
          try {
            previous = row ? channel.parseConfig(row.config) : null;
          } catch {
            previous = null;
          }
          let configured;
          try {
            configured = channel.configure(req.body.config, previous);
          } catch (err) {
            configError(err);
            throw err;
          }
          await saveUserChannel(
            deps.pool,
            user.id,
            stored,
            configured,
            req.body.enabled ?? true,
            now,
          );
          if (configured.reveal) reveal = { ...configured.reveal };
        }
        const fresh = (await getUser(deps.pool, user.id)) ?? user;
        const out = (await listFor(fresh)).find((c) => c.kind === kind);
        if (!out) throw new AppError('channel_not_set_up', `set up ${kind} first`, 404);
        return reveal ? { channel: out, reveal } : { channel: out };
      },
    );

    app.delete(
      '/me/channels/:kind',
      {
        schema: {
          tags: ['channels'],
          summary: 'Remove a channel and its settings (email cannot be removed, only turned off)',
          params: z.object({ kind: Kind.exclude(['email']) }),
          response: { 204: z.null(), 401: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        if (!(await deleteUserChannel(deps.pool, user.id, req.params.kind))) {
          throw new AppError('channel_not_set_up', `no ${req.params.kind} channel`, 404);
        }
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/me/channels/:kind/test',
      {
        schema: {
          tags: ['channels'],
          summary: 'Send a test alert through a channel (10 an hour)',
          params: z.object({ kind: Kind }),
          response: {
            200: TestJson,
            401: ErrorJson,
            404: ErrorJson,
            409: ErrorJson,
            429: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const kind = req.params.kind;
        const channel = available(kind);
        await hitLimits(
          deps.pool,
          [{ key: `channel-test:${user.id}`, max: 10, windowMs: HOUR }],
          deps.clock(),
        );
        const key = `test-${user.id}-${kind}-${randomUUID()}`;
        if (kind === 'email') {
          if (!user.emailVerifiedAt)
            throw new AppError('email_unverified', 'confirm your address first', 409);
          return testAnswer([
            await channel.sendTest(channel.parseConfig({ to: user.email }), ctx(key)),
          ]);
        }
        if (kind === 'webpush') {
          const subs = await listPushSubscriptions(deps.pool, user.id);
          if (subs.length === 0)
            throw new AppError('channel_not_set_up', 'no device subscribed to push', 404);
          return testAnswer(
            await Promise.all(
              subs.map((s) =>
                channel.sendTest(channel.parseConfig(s.config), ctx(`${key}-${s.id}`)),
              ),
            ),
          );
        }
        const row = await getUserChannel(deps.pool, user.id, kind);
        if (!row) throw new AppError('channel_not_set_up', `set up ${kind} first`, 404);
        if (kind === 'sms' && !row.verifiedAt)
          throw new AppError('phone_unverified', 'verify the number first', 409);
        let config: unknown;
        try {
          config = channel.parseConfig(row.config);
        } catch (err) {
          configError(err);
        }
        return testAnswer([await channel.sendTest(config, ctx(key))]);
      },
    );

    app.post(
      '/me/channels/sms/verification',
      {
        schema: {
          tags: ['channels'],
          summary: 'Send a 6-digit code by SMS to verify a number',
          body: z.object({ phone: z.string().min(4).max(40) }),
          response: {
            202: z.object({ phone: z.string(), expiresAt: z.string() }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
            429: ErrorJson,
            502: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const sms = ch.registry.sms;
        if (!sms) throw new AppError('channel_unavailable', 'SMS is not offered here', 404);
        let result;
        try {
          result = await startPhoneVerification(
            {
              pool: deps.pool,
              clock: deps.clock,
              key: ch.phoneCodeKey,
              sms,
              fetcher: ch.fetcher,
              publicUrl: deps.publicUrl,
            },
            user.id,
            req.body.phone,
          );
        } catch (err) {
          configError(err);
          throw err;
        }
        if (result.ok)
          return reply
            .status(202)
            .send({ phone: result.phone, expiresAt: result.expiresAt.toISOString() });
        if (result.code === 'rate_limited') {
          throw new AppError('rate_limited', 'too many codes; try again later', 429, {
            details: { retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000) },
          });
        }
        throw new AppError('sms_send_failed', result.message, 502);
      },
    );

    app.post(
      '/me/channels/sms/verification/confirm',
      {
        schema: {
          tags: ['channels'],
          summary: 'Confirm the number with the code it received; SMS alerts start',
          body: z.object({ code: z.string().min(4).max(12) }),
          response: { 200: z.object({ channel: ChannelJson }), 400: ErrorJson, 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const result = await confirmPhoneVerification(
          { pool: deps.pool, clock: deps.clock, key: ch.phoneCodeKey },
          user.id,
          req.body.code,
        );
        if (!result.ok) {
          throw new AppError(
            `code_${result.code}`,
            result.code === 'wrong_code'
              ? `wrong code; ${result.attemptsLeft} attempts left`
              : result.code === 'expired'
                ? 'the code has expired; ask for a new one'
                : result.code === 'too_many_attempts'
                  ? 'too many wrong codes; ask for a new one'
                  : 'no code was sent; ask for one first',
            400,
          );
        }
        const channel = (await listFor(user)).find((c) => c.kind === 'sms');
        if (!channel) throw new Error('sms channel missing after verification');
        return { channel };
      },
    );

    const PushJson = z
      .object({
        id: z.number().int(),
        host: z.string(),
        userAgent: z.string().nullable(),
        createdAt: z.string(),
        lastUsedAt: z.string().nullable(),
      })
      .meta({ id: 'PushSubscription' });

    app.get(
      '/me/push-subscriptions',
      {
        schema: {
          tags: ['channels'],
          summary: 'Devices subscribed to web push',
          response: { 200: z.object({ subscriptions: z.array(PushJson) }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const subs = await listPushSubscriptions(deps.pool, user.id);
        return {
          subscriptions: subs.map((s) => ({
            id: s.id,
            host: new URL(s.config.endpoint).host,
            userAgent: s.userAgent,
            createdAt: s.createdAt.toISOString(),
            lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
          })),
        };
      },
    );

    app.post(
      '/me/push-subscriptions',
      {
        schema: {
          tags: ['channels'],
          summary:
            "Subscribe this browser to web push (the body is the browser's PushSubscription.toJSON())",
          body: z.unknown(),
          response: {
            201: z.object({ subscription: PushJson }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
            409: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const channel = available('webpush');
        let configured;
        try {
          configured = channel.configure(req.body, null);
        } catch (err) {
          configError(err);
          throw err;
        }
        const s = await savePushSubscription(
          deps.pool,
          user.id,
          configured.config as Parameters<typeof savePushSubscription>[2],
          req.headers['user-agent'] ?? null,
          deps.clock(),
        );
        if (!s) {
          throw new AppError(
            'push_subscription_conflict',
            'This push subscription is registered to another account with other keys. Turn push off and on again in this browser.',
            409,
          );
        }
        return reply.status(201).send({
          subscription: {
            id: s.id,
            host: new URL(s.config.endpoint).host,
            userAgent: s.userAgent,
            createdAt: s.createdAt.toISOString(),
            lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
          },
        });
      },
    );

    app.delete(
      '/me/push-subscriptions',
      {
        schema: {
          tags: ['channels'],
          summary: 'Unsubscribe a device, by id or by endpoint',
          body: z.union([
            z.object({ id: z.number().int().positive() }),
            z.object({ endpoint: z.string().url() }),
          ]),
          response: { 204: z.null(), 401: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        if (!(await deletePushSubscription(deps.pool, user.id, req.body))) {
          throw new AppError('subscription_not_found', 'no such subscription', 404);
        }
        return reply.status(204).send(null);
      },
    );

    // One-click unsubscribe (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` as a form,
    // without cookies; the token is the authority. A GET only shows a button: scanners follow links.
    await app.register(async (plugin) => {
      const unsub = plugin.withTypeProvider<ZodTypeProvider>();
      unsub.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(String(body))));
        },
      );
      const page = (title: string, body: string) =>
        `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">${body}</body></html>`;

      unsub.get(
        '/unsubscribe/:token',
        {
          schema: {
            tags: ['channels'],
            summary: 'The unsubscribe link of an alert email: a page with one button',
            params: z.object({ token: z.string().max(200) }),
          },
        },
        async (req, reply) => {
          if (verifyUnsubscribeToken(req.params.token, ch.unsubscribeKey) === null) {
            return reply
              .status(400)
              .type('text/html')
              .send(
                page(
                  'Link not valid',
                  '<h1>This link is not valid</h1><p>Change your notification settings in Pricehawk instead.</p>',
                ),
              );
          }
          return reply
            .type('text/html')
            .send(
              page(
                'Unsubscribe',
                `<h1>Stop alert emails?</h1><p>Your watches stay; alerts keep arriving in Pricehawk and on your other channels.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop alert emails</button></form>`,
              ),
            );
        },
      );

      unsub.post(
        '/unsubscribe/:token',
        {
          schema: {
            tags: ['channels'],
            summary: 'One-click unsubscribe (RFC 8058): turns alert email off',
            params: z.object({ token: z.string().max(200) }),
            body: z.object({ 'List-Unsubscribe': z.literal('One-Click') }),
          },
        },
        async (req, reply) => {
          const userId = verifyUnsubscribeToken(req.params.token, ch.unsubscribeKey);
          if (userId === null)
            throw new AppError('invalid_token', 'this unsubscribe link is not valid', 400);
          const user = await getUser(deps.pool, userId);
          if (user) {
            const prefs = user.notificationPrefs;
            await updateProfile(
              deps.pool,
              user.id,
              {
                notificationPrefs: {
                  ...prefs,
                  channels: { ...prefs.channels, email: { enabled: false } },
                },
              },
              deps.clock(),
            );
          }
          return reply
            .type('text/html')
            .send(
              page(
                'Unsubscribed',
                '<h1>Alert emails are off</h1><p>Turn them on again any time in Pricehawk’s settings.</p>',
              ),
            );
        },
      );
    });
  };
