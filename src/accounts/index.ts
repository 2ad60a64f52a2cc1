export {
  createApiToken,
  listApiTokens,
  resolveApiToken,
  revokeApiToken,
  type ApiTokenInfo,
  type TokenScope,
} from './api-tokens.js';
export { deleteAccount, exportAccount } from './data.js';
export {
  changePassword,
  confirmEmailChange,
  confirmVerification,
  processResetRequests,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  startVerification,
  type FlowContext,
} from './email-flows.js';
export { hitLimits, pruneRateLimits, type Limit } from './rate-limits.js';
export {
  createSession,
  endSessionByToken,
  listSessions,
  resolveSession,
  revokeAllSessions,
  revokeSession,
  type SessionInfo,
} from './sessions.js';
export {
  CURRENCY_DISPLAYS,
  getUser,
  logIn,
  signUp,
  updateProfile,
  type CurrencyDisplay,
  type NotificationPrefs,
  type User,
} from './users.js';
