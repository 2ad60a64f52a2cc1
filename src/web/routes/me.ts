import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CURRENCY_DISPLAYS,
  changePassword,
  createApiToken,
  deleteAccount,
  exportAccount,
  listApiTokens,
  listSessions,
  requestEmailChange,
  revokeAllSessions,
  revokeApiToken,
  revokeSession,
  updateProfile,
} from '../../accounts/index.js';
import type { WebDeps } from '../app.js';
import { requireUser, SESSION_COOKIE, sessionId } from '../auth.js';
import { ErrorJson, NotificationPrefsJson, UserJson, userJson } from '../presenters.js';
import { Email, Locale, Password, TimeZone } from './auth.js';

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const SessionJson = z
  .object({
    id: z.number().int(),
    device: z.string(),
    ip: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });

const TokenJson = z
  .object({
    id: z.number().int(),
    name: z.string(),
    scope: z.enum(['read', 'write']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const meRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const flow = () => ({ publicUrl: deps.publicUrl, now: deps.clock() });

    app.get(
      '/me',
      {
        schema: {
          tags: ['account'],
          summary: 'The logged-in user',
          response: { 200: z.object({ user: UserJson }), 401: ErrorJson },
        },
      },
      (req) => ({ user: userJson(requireUser(req)) }),
    );

    app.patch(
      '/me',
      {
        schema: {
          tags: ['account'],
          summary: 'Change the profile and notification preferences',
          body: z
            .object({
              name: z.string().trim().min(1).max(200),
              timeZone: TimeZone,
              locale: Locale,
              currencyDisplay: z.enum(CURRENCY_DISPLAYS),
              notificationPrefs: NotificationPrefsJson,
            })
            .partial()
            .strict(),
          response: { 200: z.object({ user: UserJson }), 400: ErrorJson, 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        return { user: userJson(await updateProfile(deps.pool, user.id, req.body, deps.clock())) };
      },
    );

    app.delete(
      '/me',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Delete the account and every personal row, for good (asks for the password)',
          body: z.object({ password: z.string().min(1).max(200) }),
          response: { 204: z.null(), 400: ErrorJson, 401: ErrorJson, 403: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await deleteAccount(deps.pool, user.id, req.body.password);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/me/password',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Change the password (asks for the current one); other sessions are logged out',
          body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password }),
          response: { 204: z.null(), 400: ErrorJson, 401: ErrorJson, 403: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await changePassword(
          deps.pool,
          user.id,
          {
            current: req.body.currentPassword,
            next: req.body.newPassword,
            keepSessionId: sessionId(req),
          },
          flow(),
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/me/email',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Change the email address: it takes effect when the link sent to it is followed',
          body: z.object({ password: z.string().min(1).max(200), email: Email }),
          response: {
            202: z.object({ message: z.string() }),
            400: ErrorJson,
            401: ErrorJson,
            403: ErrorJson,
            409: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await requestEmailChange(
          deps.pool,
          user.id,
          { password: req.body.password, newEmail: req.body.email },
          flow(),
        );
        return reply
          .status(202)
          .send({ message: `A confirmation link is on its way to ${req.body.email}.` });
      },
    );

    app.get(
      '/me/export',
      {
        schema: {
          tags: ['account'],
          summary: 'Everything stored about the account, as JSON',
          response: { 200: z.record(z.string(), z.unknown()), 401: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const data = await exportAccount(deps.pool, user.id, deps.clock());
        reply.header(
          'content-disposition',
          `attachment; filename="pricehawk-export-${user.id}.json"`,
        );
        // Round-trip through JSON so dates and jsonb columns come out as the file will show them.
        return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
      },
    );

    app.get(
      '/me/sessions',
      {
        schema: {
          tags: ['account'],
          summary: 'Active sessions with device and last use',
          response: { 200: z.object({ sessions: z.array(SessionJson) }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const sessions = await listSessions(deps.pool, user.id, sessionId(req), deps.clock());
        return {
          sessions: sessions.map((s) => ({
            ...s,
            createdAt: s.createdAt.toISOString(),
            lastUsedAt: s.lastUsedAt.toISOString(),
          })),
        };
      },
    );

    app.delete(
      '/me/sessions/:id',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'End one session',
          params: Id,
          response: { 204: z.null(), 401: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await revokeSession(deps.pool, user.id, req.params.id);
        if (req.params.id === sessionId(req)) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/me/sessions',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Log out everywhere, this session included',
          response: { 204: z.null(), 401: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await revokeAllSessions(deps.pool, user.id);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/me/tokens',
      {
        schema: {
          tags: ['account'],
          summary: 'API tokens (their secrets are never shown again)',
          response: { 200: z.object({ tokens: z.array(TokenJson) }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const tokens = await listApiTokens(deps.pool, user.id);
        return {
          tokens: tokens.map((t) => ({
            ...t,
            createdAt: t.createdAt.toISOString(),
            lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          })),
        };
      },
    );

    app.post(
      '/me/tokens',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Create an API token for `Authorization: Bearer`; its secret is shown this once',
          body: z.object({
            name: z.string().trim().min(1).max(100),
            scope: z.enum(['read', 'write']),
          }),
          response: {
            201: z.object({ token: z.string(), apiToken: TokenJson }),
            400: ErrorJson,
            401: ErrorJson,
            403: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { token, info } = await createApiToken(deps.pool, user.id, req.body, deps.clock());
        return reply.status(201).send({
          token,
          apiToken: { ...info, createdAt: info.createdAt.toISOString(), lastUsedAt: null },
        });
      },
    );

    app.delete(
      '/me/tokens/:id',
      {
        config: { sessionOnly: true },
        schema: {
          tags: ['account'],
          summary: 'Revoke an API token',
          params: Id,
          response: { 204: z.null(), 401: ErrorJson, 403: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await revokeApiToken(deps.pool, user.id, req.params.id, deps.clock());
        return reply.status(204).send(null);
      },
    );
  };
