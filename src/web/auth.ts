/**
 * Who is calling: a session cookie (browsers) resolved to a user once per request. Cookie-
 * authenticated changes must come from our own origin (CSRF): browsers send Origin on cross-site
 * POSTs, and the API accepts only JSON bodies, which a cross-site form cannot send.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { userForSession, type User } from '../accounts/users.js';
import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'ph_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

export function requireUser(req: FastifyRequest): User {
  if (!req.user) throw new AppError('unauthenticated', 'log in first', 401);
  return req.user;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installAuth(
  app: FastifyInstance,
  deps: { pool: Pool; clock: () => Date; publicUrl: string },
): void {
  const publicOrigin = new URL(deps.publicUrl).origin;
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    if (UNSAFE.has(req.method)) {
      const origin = req.headers.origin;
      const own = `${req.protocol}://${req.headers.host ?? ''}`;
      if (origin !== undefined && origin !== publicOrigin && origin !== own) {
        throw new AppError('csrf_rejected', 'cross-origin request refused', 403);
      }
      if (origin === undefined && req.headers['sec-fetch-site'] === 'cross-site') {
        throw new AppError('csrf_rejected', 'cross-site request refused', 403);
      }
    }
    req.user = await userForSession(deps.pool, token, deps.clock());
  });
}

export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}
