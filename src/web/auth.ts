/**
 * Who is calling: a session cookie (browsers) or `Authorization: Bearer ph_…` (scripts), resolved
 * to a user once per request.
 *
 * CSRF: cookie-authenticated changes must come from our own origin. Browsers send Origin on
 * cross-site POSTs (and Sec-Fetch-Site), and the API accepts only JSON bodies, which a cross-site
 * form cannot send. Bearer tokens are not sent by browsers on their own, so they need no check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveApiToken, resolveSession, type TokenScope, type User } from '../accounts/index.js';
import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'ph_session';

export type Auth =
  | { readonly kind: 'session'; readonly sessionId: number }
  | { readonly kind: 'token'; readonly tokenId: number; readonly scope: TokenScope };

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    /** Only with a session, never with an API token: changes to the account's credentials. */
    sessionOnly?: boolean;
  }
}

export function requireUser(req: FastifyRequest): User {
  if (!req.user) throw new AppError('unauthenticated', 'log in first', 401);
  return req.user;
}

/** The id of the caller's session, when the caller is a browser session. */
export function sessionId(req: FastifyRequest): number | null {
  return req.auth?.kind === 'session' ? req.auth.sessionId : null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installAuth(
  app: FastifyInstance,
  deps: { pool: Pool; clock: () => Date; publicUrl: string },
): void {
  const publicOrigin = new URL(deps.publicUrl).origin;
  app.decorateRequest('user', null);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    // Only the API knows users; health checks, metrics and static files cost no session lookup.
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const found = m?.[1] ? await resolveApiToken(deps.pool, m[1], deps.clock()) : null;
      if (!found) throw new AppError('invalid_token', 'the API token is not valid', 401);
      if (found.scope === 'read' && UNSAFE.has(req.method)) {
        throw new AppError('token_read_only', 'this API token can only read', 403);
      }
      if (req.routeOptions.config.sessionOnly) {
        throw new AppError('session_required', 'log in to do this; API tokens cannot', 403);
      }
      req.user = found.user;
      req.auth = { kind: 'token', tokenId: found.tokenId, scope: found.scope };
      return;
    }
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
    const found = await resolveSession(deps.pool, token, deps.clock());
    if (found) {
      req.user = found.user;
      req.auth = { kind: 'session', sessionId: found.sessionId };
    }
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
