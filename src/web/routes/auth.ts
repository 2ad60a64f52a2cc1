import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  confirmEmailChange,
  confirmVerification,
  createSession,
  endSessionByToken,
  hitLimits,
  logIn,
  requestPasswordReset,
  resetPassword,
  signUp,
  startVerification,
  updateProfile,
} from '../../accounts/index.js';
import { withTransaction } from '../../db/pool.js';
import type { WebDeps } from '../app.js';
import { requireUser, SESSION_COOKIE, setSessionCookie } from '../auth.js';
import { ErrorJson, UserJson, userJson } from '../presenters.js';

export const Email = z
  .email()
  .max(320)
  .transform((e) => e.trim());
export const Password = z.string().min(8, 'at least 8 characters').max(200);
export const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Berlin');

export const Locale = z
  .string()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'a BCP 47 language tag such as de-DE');

const Token = z.string().min(16).max(200);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const authRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const secure = deps.publicUrl.startsWith('https:');
    const flow = () => ({ publicUrl: deps.publicUrl, now: deps.clock() });

    app.post(
      '/auth/signup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create an account and log in; a link to confirm the address is emailed',
          body: z.object({
            email: Email,
            password: Password,
            name: z.string().trim().min(1).max(200),
            timeZone: TimeZone.optional(),
            locale: Locale.optional(),
          }),
          response: {
            201: z.object({ user: UserJson }),
            400: ErrorJson,
            409: ErrorJson,
            429: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        await hitLimits(
          deps.pool,
          [{ key: `signup:ip:${req.ip}`, max: deps.limits.signupPerHour, windowMs: HOUR }],
          deps.clock(),
        );
        const user = await withTransaction(deps.pool, async (tx) => {
          const created = await signUp(tx, req.body);
          const u =
            req.body.timeZone || req.body.locale
              ? await updateProfile(
                  tx,
                  created.id,
                  { timeZone: req.body.timeZone, locale: req.body.locale },
                  deps.clock(),
                )
              : created;
          await startVerification(tx, u, flow());
          return u;
        });
        const s = await createSession(
          deps.pool,
          user.id,
          { userAgent: req.headers['user-agent'], ip: req.ip },
          deps.clock(),
        );
        setSessionCookie(reply, s.token, s.expiresAt, secure);
        return reply.status(201).send({ user: userJson(user) });
      },
    );

    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with email and password (rate-limited per address and per IP)',
          body: z.object({ email: Email, password: z.string().min(1).max(200) }),
          response: {
            200: z.object({ user: UserJson }),
            400: ErrorJson,
            401: ErrorJson,
            429: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        await hitLimits(
          deps.pool,
          [
            { key: `login:ip:${req.ip}`, max: deps.limits.loginPerMinute, windowMs: MINUTE },
            {
              key: `login:email:${req.body.email.toLowerCase()}`,
              max: deps.limits.loginPerMinute,
              windowMs: MINUTE,
            },
          ],
          deps.clock(),
        );
        const user = await logIn(deps.pool, req.body);
        // A new session id at every log-in (no fixation); an old cookie's session ends.
        const old = req.cookies[SESSION_COOKIE];
        if (old) await endSessionByToken(deps.pool, old);
        const s = await createSession(
          deps.pool,
          user.id,
          { userAgent: req.headers['user-agent'], ip: req.ip },
          deps.clock(),
        );
        setSessionCookie(reply, s.token, s.expiresAt, secure);
        return { user: userJson(user) };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        if (token) await endSessionByToken(deps.pool, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/verify-email',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm an address with the token from the emailed link',
          body: z.object({ token: Token }),
          response: { 200: z.object({ user: UserJson }), 400: ErrorJson, 429: ErrorJson },
        },
      },
      async (req) => {
        await hitLimits(
          deps.pool,
          [{ key: `token:ip:${req.ip}`, max: 60, windowMs: HOUR }],
          deps.clock(),
        );
        return {
          user: userJson(await confirmVerification(deps.pool, req.body.token, deps.clock())),
        };
      },
    );

    app.post(
      '/auth/verify-email/resend',
      {
        schema: {
          tags: ['auth'],
          summary: 'Email the confirmation link again (5 an hour)',
          response: { 202: z.object({ sent: z.boolean() }), 401: ErrorJson, 429: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        if (user.emailVerifiedAt) return reply.status(202).send({ sent: false });
        await hitLimits(
          deps.pool,
          [{ key: `verify:user:${user.id}`, max: 5, windowMs: HOUR }],
          deps.clock(),
        );
        await withTransaction(deps.pool, (tx) => startVerification(tx, user, flow()));
        return reply.status(202).send({ sent: true });
      },
    );

    app.post(
      '/auth/password-reset',
      {
        schema: {
          tags: ['auth'],
          summary: 'Email a password-reset link, if the address has an account',
          description:
            'Always answers 202, whether or not the address has an account; the link works once, for 30 minutes.',
          body: z.object({ email: Email }),
          response: { 202: z.object({ message: z.string() }), 400: ErrorJson, 429: ErrorJson },
        },
      },
      async (req, reply) => {
        await hitLimits(
          deps.pool,
          [
            { key: `reset:ip:${req.ip}`, max: 20, windowMs: HOUR },
            { key: `reset:email:${req.body.email.toLowerCase()}`, max: 5, windowMs: HOUR },
          ],
          deps.clock(),
        );
        await requestPasswordReset(deps.pool, req.body.email, deps.clock());
        return reply.status(202).send({
          message: 'If this address has an account, a link to reset its password is on its way.',
        });
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Set a new password with the token from the emailed link; logs out everywhere, then in',
          body: z.object({ token: Token, password: Password }),
          response: { 200: z.object({ user: UserJson }), 400: ErrorJson, 429: ErrorJson },
        },
      },
      async (req, reply) => {
        await hitLimits(
          deps.pool,
          [{ key: `token:ip:${req.ip}`, max: 60, windowMs: HOUR }],
          deps.clock(),
        );
        const user = await resetPassword(deps.pool, req.body.token, req.body.password, flow());
        const s = await createSession(
          deps.pool,
          user.id,
          { userAgent: req.headers['user-agent'], ip: req.ip },
          deps.clock(),
        );
        setSessionCookie(reply, s.token, s.expiresAt, secure);
        return { user: userJson(user) };
      },
    );

    app.post(
      '/auth/confirm-email',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Confirm a new address with the token from the emailed link; it takes effect now',
          body: z.object({ token: Token }),
          response: {
            200: z.object({ user: UserJson }),
            400: ErrorJson,
            409: ErrorJson,
            429: ErrorJson,
          },
        },
      },
      async (req) => {
        await hitLimits(
          deps.pool,
          [{ key: `token:ip:${req.ip}`, max: 60, windowMs: HOUR }],
          deps.clock(),
        );
        return { user: userJson(await confirmEmailChange(deps.pool, req.body.token, flow())) };
      },
    );
  };
