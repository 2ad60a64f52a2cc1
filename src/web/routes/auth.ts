import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSession, endSession, logIn, signUp, type User } from '../../accounts/users.js';
import type { WebDeps } from '../app.js';
import { requireUser, SESSION_COOKIE, setSessionCookie } from '../auth.js';
import { ErrorJson, UserJson } from '../presenters.js';

const Email = z
  .email()
  .max(320)
  .transform((e) => e.trim());
const Password = z.string().min(8, 'at least 8 characters').max(200);

function userJson(u: User) {
  return { id: u.id, email: u.email, name: u.name, createdAt: u.createdAt.toISOString() };
}

export const authRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const secure = deps.publicUrl.startsWith('https:');

    app.post(
      '/auth/signup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Create an account and log in',
          body: z.object({
            email: Email,
            password: Password,
            name: z.string().trim().min(1).max(200),
          }),
          response: { 201: z.object({ user: UserJson }), 400: ErrorJson, 409: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = await signUp(deps.pool, req.body);
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
          summary: 'Log in with email and password',
          body: z.object({ email: Email, password: z.string().min(1).max(200) }),
          response: { 200: z.object({ user: UserJson }), 400: ErrorJson, 401: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = await logIn(deps.pool, req.body);
        // A new session id at every log-in (no fixation); an old cookie's session ends.
        const old = req.cookies[SESSION_COOKIE];
        if (old) await endSession(deps.pool, old);
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
        if (token) await endSession(deps.pool, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

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
  };
