/**
 * The daily digest (issue 7): alerts of users who chose it are held back from the outbox, and once
 * a day, at the user's hour, gathered into one message per channel.
 */
export { DIGEST_LIST_MAX, loadDigestAlerts, type DigestAlertRow } from './alerts.js';
export { digestDayLabel, digestMessageId, renderDigestEmail } from './email.js';
export { HELD_MARGIN_MS, createDigestJob, type DigestJob, type DigestJobDeps } from './job.js';
export {
  addDays,
  digestInstant,
  localDay,
  planAfterRun,
  planDigest,
  type DigestPlan,
} from './schedule.js';
export { CLOSING_GRACE_MS, syncDigestSchedule } from './store.js';
