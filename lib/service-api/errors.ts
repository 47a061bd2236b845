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

const connectionCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300"]);

/** True when the database could not be reached or dropped the connection: 503, the report may be retried. */
export function isUnavailableError(error: unknown): boolean {
  for (let current = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; current && depth < 4; depth++) {
    if (current.code && (connectionCodes.has(current.code) || current.code.startsWith("08"))) return true;
    if (/timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(current.message ?? "")) return true;
    current = current.cause as typeof current;
  }
  return false;
}
