/**
 * The flows that go through the user's inbox: confirming an address, resetting a forgotten
 * password, changing the password or the address. Each runs in one transaction with the email it
 * queues, so a token is never created without its email or the other way round.
 */
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { consumeEmailToken, createEmailToken } from './email-tokens.js';
import {
  confirmNewEmail,
  emailChangeNotice,
  passwordChangedNotice,
  passwordReset,
  verifyEmail,
} from './emails.js';
import { queueMail } from './mail-outbox.js';
import { hashPassword } from './passwords.js';
import { revokeAllSessions } from './sessions.js';
import { checkPassword, toUser, type User, type UserRow } from './users.js';

export interface FlowContext {
  readonly publicUrl: string;
  readonly now: Date;
}

const link = (ctx: FlowContext, path: string, token: string) =>
  `${ctx.publicUrl}${path}?token=${encodeURIComponent(token)}`;
const host = (ctx: FlowContext) => new URL(ctx.publicUrl).hostname;

const invalidToken = () =>
  new AppError('invalid_token', 'this link is not valid any more; ask for a new one', 400);

/** Sends (again) the link that confirms the user's current address. */
export async function startVerification(
  db: Queryable,
  user: User,
  ctx: FlowContext,
): Promise<void> {
  if (user.emailVerifiedAt) return;
  const token = await createEmailToken(db, user.id, 'verify_email', user.email, ctx.now);
  await queueMail(db, user.email, verifyEmail(user.name, link(ctx, '/verify-email', token)), {
    userId: user.id,
    messageHost: host(ctx),
    now: ctx.now,
  });
}

export async function confirmVerification(pool: Pool, token: string, now: Date): Promise<User> {
  return withTransaction(pool, async (tx) => {
    const t = await consumeEmailToken(tx, token, 'verify_email', now);
    if (!t) throw invalidToken();
    // The link confirms the address it was sent to, and only while that is still the address.
    const { rows } = await tx.query<UserRow>(
      `update users set email_verified_at = coalesce(email_verified_at, $3)
        where id = $1 and lower(email) = lower($2) returning *`,
      [t.userId, t.email, now],
    );
    if (!rows[0]) throw invalidToken();
    return toUser(rows[0]);
  });
}

/**
 * Records a request for a reset link. The same single insert whether or not the address has an
 * account, so neither the answer nor its timing tells; `processResetRequests` does the rest.
 */
export async function requestPasswordReset(db: Queryable, email: string, now: Date): Promise<void> {
  await db.query('insert into password_reset_requests (email, requested_at) values ($1, $2)', [
    email,
    now,
  ]);
}

/** Turns recorded reset requests into reset emails (for addresses with an account). */
export async function processResetRequests(
  pool: Pool,
  ctx: FlowContext,
  limit = 50,
): Promise<number> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: number; email: string }>(
      `delete from password_reset_requests where id in (
         select id from password_reset_requests order by id limit $1 for update skip locked)
       returning id, email`,
      [limit],
    );
    for (const r of rows) {
      const found = await tx.query<UserRow>('select * from users where lower(email) = lower($1)', [
        r.email,
      ]);
      const user = found.rows[0];
      if (!user) continue;
      const token = await createEmailToken(tx, user.id, 'password_reset', user.email, ctx.now);
      await queueMail(
        tx,
        user.email,
        passwordReset(user.name, link(ctx, '/reset-password', token)),
        {
          userId: user.id,
          messageHost: host(ctx),
          now: ctx.now,
        },
      );
    }
    return rows.length;
  });
}

/**
 * Sets a new password from a reset link and logs out every session: whoever knew the old password
 * is out. Following the link also proves the address, so it counts as verified.
 */
export async function resetPassword(
  pool: Pool,
  token: string,
  password: string,
  ctx: FlowContext,
): Promise<User> {
  const hash = await hashPassword(password);
  return withTransaction(pool, async (tx) => {
    const t = await consumeEmailToken(tx, token, 'password_reset', ctx.now);
    if (!t) throw invalidToken();
    const { rows } = await tx.query<UserRow>(
      `update users set password_hash = $2, email_verified_at = coalesce(email_verified_at, $3),
         updated_at = $3
       where id = $1 and lower(email) = lower($4) returning *`,
      [t.userId, hash, ctx.now, t.email],
    );
    const row = rows[0];
    if (!row) throw invalidToken();
    await revokeAllSessions(tx, row.id);
    await queueMail(tx, row.email, passwordChangedNotice(row.name), {
      userId: row.id,
      messageHost: host(ctx),
      now: ctx.now,
    });
    return toUser(row);
  });
}

/** Changes the password after checking the current one; every other session is logged out. */
export async function changePassword(
  pool: Pool,
  userId: number,
  input: { current: string; next: string; keepSessionId: number | null },
  ctx: FlowContext,
): Promise<void> {
  await checkPassword(pool, userId, input.current);
  const hash = await hashPassword(input.next);
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<UserRow>(
      'update users set password_hash = $2, updated_at = $3 where id = $1 returning *',
      [userId, hash, ctx.now],
    );
    const row = rows[0];
    if (!row) throw new AppError('unauthenticated', 'no such account', 401);
    await revokeAllSessions(tx, userId, input.keepSessionId ?? undefined);
    await queueMail(tx, row.email, passwordChangedNotice(row.name), {
      userId,
      messageHost: host(ctx),
      now: ctx.now,
    });
  });
}

/**
 * Starts a change of address: the new address gets a confirmation link; nothing changes until it
 * is followed.
 */
export async function requestEmailChange(
  pool: Pool,
  userId: number,
  input: { password: string; newEmail: string },
  ctx: FlowContext,
): Promise<void> {
  await checkPassword(pool, userId, input.password);
  await withTransaction(pool, async (tx) => {
    const taken = await tx.query(
      'select 1 from users where lower(email) = lower($1) and id <> $2',
      [input.newEmail, userId],
    );
    if (taken.rowCount) throw new AppError('email_taken', 'another account uses this address', 409);
    const { rows } = await tx.query<UserRow>('select * from users where id = $1', [userId]);
    const user = rows[0];
    if (!user) throw new AppError('unauthenticated', 'no such account', 401);
    const token = await createEmailToken(tx, userId, 'change_email', input.newEmail, ctx.now);
    await queueMail(
      tx,
      input.newEmail,
      confirmNewEmail(user.name, link(ctx, '/confirm-email', token)),
      {
        userId,
        messageHost: host(ctx),
        now: ctx.now,
      },
    );
  });
}

/** Follows the confirmation link: the new address takes effect (verified) and the old one is told. */
export async function confirmEmailChange(
  pool: Pool,
  token: string,
  ctx: FlowContext,
): Promise<User> {
  return withTransaction(pool, async (tx) => {
    const t = await consumeEmailToken(tx, token, 'change_email', ctx.now);
    if (!t) throw invalidToken();
    const before = await tx.query<UserRow>('select * from users where id = $1 for update', [
      t.userId,
    ]);
    const old = before.rows[0];
    if (!old) throw invalidToken();
    let row: UserRow | undefined;
    try {
      const { rows } = await tx.query<UserRow>(
        `update users set email = $2, email_verified_at = $3, updated_at = $3 where id = $1 returning *`,
        [t.userId, t.email, ctx.now],
      );
      row = rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new AppError('email_taken', 'another account took this address meanwhile', 409);
      }
      throw err;
    }
    if (!row) throw invalidToken();
    await queueMail(tx, old.email, emailChangeNotice(old.name, row.email), {
      userId: row.id,
      messageHost: host(ctx),
      now: ctx.now,
    });
    return toUser(row);
  });
}
