/**
 * API tokens for scripts: `Authorization: Bearer ph_…` works wherever a session does, read-only or
 * read-write. The secret is shown once; only its SHA-256 is stored.
 */
import { randomBytes } from 'node:crypto';
import { prepared, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { CALLER_COLUMNS, hashToken, toUser, type User, type UserRow } from './users.js';

export type TokenScope = 'read' | 'write';
export const TOKEN_PREFIX = 'ph_';

export interface ApiTokenInfo {
  readonly id: number;
  readonly name: string;
  readonly scope: TokenScope;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export async function createApiToken(
  db: Queryable,
  userId: number,
  input: { name: string; scope: TokenScope },
  now: Date,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ id: number }>(
    `insert into api_tokens (user_id, name, token_hash, scope, created_at) values ($1, $2, $3, $4, $5)
     returning id`,
    [userId, input.name, hashToken(token), input.scope, now],
  );
  return {
    token,
    info: {
      id: rows[0]?.id ?? 0,
      name: input.name,
      scope: input.scope,
      createdAt: now,
      lastUsedAt: null,
    },
  };
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiTokenInfo[]> {
  const { rows } = await db.query<{
    id: number;
    name: string;
    scope: TokenScope;
    created_at: Date;
    last_used_at: Date | null;
  }>(
    `select id, name, scope, created_at, last_used_at from api_tokens
      where user_id = $1 and revoked_at is null order by created_at desc, id desc`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function revokeApiToken(
  db: Queryable,
  userId: number,
  tokenId: number,
  now: Date,
): Promise<void> {
  const res = await db.query(
    'update api_tokens set revoked_at = $3 where id = $1 and user_id = $2 and revoked_at is null',
    [tokenId, userId, now],
  );
  if (!res.rowCount) throw new AppError('token_not_found', 'no such token', 404);
}

export async function resolveApiToken(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ user: User; tokenId: number; scope: TokenScope } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const { rows } = await db.query<
    Omit<UserRow, 'password_hash'> & {
      token_id: number;
      scope: TokenScope;
      last_used_at: Date | null;
    }
  >(
    prepared(
      `select ${CALLER_COLUMNS}, t.id as token_id, t.scope, t.last_used_at from api_tokens t
         join users u on u.id = t.user_id
        where t.token_hash = $1 and t.revoked_at is null`,
      [hashToken(token)],
    ),
  );
  const row = rows[0];
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.query('update api_tokens set last_used_at = $2 where id = $1', [row.token_id, now]);
  }
  return { user: toUser(row), tokenId: row.token_id, scope: row.scope };
}
