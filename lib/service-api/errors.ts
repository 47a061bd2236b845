/** Error codes of SPEC section 2 and their statuses. */
export const serviceErrors = {
  invalid_request: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  invalid_api_key: 403,
  revoked_api_key: 403,
  expired_api_key: 403,
  idempotency_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ServiceErrorCode = keyof typeof serviceErrors;

export const errorMessages: Record<ServiceErrorCode, string> = {
  invalid_request: "The request body is not valid.",
  unauthorized: "A valid service token is required.",
  insufficient_credits: "The organization does not have enough credits; nothing was deducted.",
  invalid_api_key: "The API key does not exist.",
  revoked_api_key: "The API key has been revoked.",
  expired_api_key: "The API key has expired.",
  idempotency_conflict: "This requestId was already used with a different body.",
  payload_too_large: "The request body is too large.",
  rate_limited: "Too many requests for this service token.",
  internal_error: "Something went wrong in the portal.",
  unavailable: "The portal's database cannot be reached; nothing was changed. Retry later.",
};

export function errorBody(code: ServiceErrorCode, extra: Record<string, unknown> = {}) {
  return { success: false as const, error: code, message: errorMessages[code], ...extra };
}

export class PayloadTooLargeError extends Error {}

// Besides the network's and the connection classes: 57014 is a statement cancelled by statement_timeout,
// 25P03 a session ended by idle_in_transaction_session_timeout, 57P0x a server shutting down, 53300 too
// many connections.
const connectionCodes = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE",
  "57014", "25P03", "57P01", "57P02", "57P03", "57P05", "53300",
]);
// The driver's own timeouts (db/client.ts): the read timeout of a stalled statement, a connection or a free
// pool slot that did not come in time, and what later queries of a dropped connection are told.
const connectionMessages =
  /Query read timeout|timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|not queryable/i;

/**
 * True when the database could not be reached, dropped the connection or did not answer in time: 503, and
 * the report may be retried. (A statement that timed out on our side may still commit once a stalled server
 * resumes; its requestId then answers the retry as a duplicate, so it is charged once either way.)
 */
export function isUnavailableError(error: unknown): boolean {
  for (let current = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; current && depth < 4; depth++) {
    if (current.code && (connectionCodes.has(current.code) || current.code.startsWith("08"))) return true;
    if (connectionMessages.test(current.message ?? "")) return true;
    current = current.cause as typeof current;
  }
  return false;
}
