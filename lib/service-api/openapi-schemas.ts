import { z } from "zod";
import { errorMessages, serviceErrors, type ServiceErrorCode } from "./errors";

/** The response shapes of SPEC sections 2 and 8, as zod, so the OpenAPI document is generated, not typed out. */

export type Status = (typeof serviceErrors)[ServiceErrorCode];

/** The codes answered with `status`, in the order SPEC section 2 lists them. */
export function codesWithStatus(status: number) {
  return (Object.keys(serviceErrors) as ServiceErrorCode[]).filter((code) => serviceErrors[code] === status);
}

export function errorSchema(codes: readonly [string, ...string[]]) {
  const base = z.object({
    success: z.literal(false),
    error: z.enum(codes).describe("Machine-readable error code."),
    message: z.string().describe("For people; do not parse it."),
  });
  // The extra fields are documented only on the responses that carry them.
  return base.extend({
    ...(codes.includes("insufficient_credits") ? { remainingCredits: z.int().optional().describe("With insufficient_credits: the balance, unchanged.") } : {}),
    ...(codes.includes("invalid_request")
      ? { issues: z.array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional().describe("The zod issues: where and why.") }
      : {}),
  });
}

/** Every error code, each with its status and meaning (components.schemas.ErrorCode). */
export const errorCodeCatalogue = {
  description: "Every `error` code of the service API, with the HTTP status it is answered with.",
  oneOf: (Object.keys(serviceErrors) as ServiceErrorCode[]).map((code) => ({
    const: code,
    description: errorMessages[code],
    "x-status": serviceErrors[code],
  })),
};

export const usageSuccess = z.object({
  success: z.literal(true),
  remainingCredits: z.number().int().describe("The organization's balance after this report."),
  usageDateTime: z.string().describe("When the usage occurred (occurredAt, or when it was recorded), ISO 8601."),
  usageId: z.string().describe("The usage record's id."),
  duplicate: z.boolean().describe("True when this requestId was already recorded for this key: nothing was deducted again."),
});

const perEventCodes = ["invalid_request", "invalid_api_key", "revoked_api_key", "expired_api_key", "insufficient_credits", "idempotency_conflict", "unavailable", "internal_error"] as const;

export const batchAnswer = z.object({
  results: z
    .array(
      z.object({
        index: z.number().int().describe("The event's position in the request."),
        success: z.boolean(),
        usageId: z.string().optional().describe("On success."),
        remainingCredits: z.number().int().optional().describe("On success, and with insufficient_credits."),
        duplicate: z.boolean().optional().describe("On success, as on the single route."),
        error: z.enum(perEventCodes).optional().describe("On failure: the code the single route would answer."),
        issues: z.array(z.unknown()).optional().describe("With invalid_request: the zod issues of this event."),
      }),
    )
    .describe("One result per event, in request order."),
});

const rateLimit = z
  .object({
    limit: z.int().describe("Requests per minute allowed for this key."),
    remaining: z.int().describe("Requests left in the current window."),
    reset: z.int().describe("Unix time in milliseconds when the window resets."),
  })
  .describe("Present when the key has a rate limit.");

export const verifyAnswer = z.union([
  z.object({
    valid: z.literal(true),
    keyId: z.string(),
    organizationId: z.string(),
    remainingCredits: z.int(),
    expiresAt: z.string().nullable().describe("ISO 8601, or null when the key never expires."),
    scopes: z.array(z.string()).describe("What the data API may let this key do."),
    rateLimit: rateLimit.optional(),
  }),
  z.object({
    valid: z.literal(false),
    code: z.enum(["NOT_FOUND", "REVOKED", "EXPIRED", "INSUFFICIENT_CREDITS", "DISABLED", "RATE_LIMITED"]).describe("Why the key may not be used."),
    rateLimit: rateLimit.optional(),
  }),
]);

export const readinessAnswer = z.object({
  status: z.enum(["ok", "degraded", "down", "draining"]).describe("degraded: Redis is down, the usage path still works."),
  db: z.enum(["ok", "down"]).optional(),
  cache: z.enum(["ok", "down"]).optional(),
});

export const livenessAnswer = z.object({ status: z.literal("ok") });

export const cronAnswer = z.looseObject({}).describe("A summary of the pass (what was sent or processed).");
