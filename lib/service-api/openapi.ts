import { z } from "zod";
import { serviceErrors } from "./errors";
import { usageBatchSchema, usageEventSchema, verifyRequestSchema } from "@/lib/usage/schemas";

const errorSchema = z
  .object({
    success: z.literal(false),
    error: z.enum(Object.keys(serviceErrors) as [keyof typeof serviceErrors, ...Array<keyof typeof serviceErrors>]),
    message: z.string(),
    remainingCredits: z.number().int().optional(),
    issues: z.array(z.unknown()).optional(),
  })
;

const usageSuccess = z
  .object({ success: z.literal(true), remainingCredits: z.number().int(), usageDateTime: z.string(), usageId: z.string(), duplicate: z.boolean() })
;

const rateLimit = z.object({ limit: z.number().int(), remaining: z.number().int(), reset: z.number().int() });
const verifyAnswer = z
  .union([
    z.object({
      valid: z.literal(true), keyId: z.string(), organizationId: z.string(), remainingCredits: z.number().int(),
      expiresAt: z.string().nullable(), scopes: z.array(z.string()), rateLimit: rateLimit.optional(),
    }),
    z.object({
      valid: z.literal(false),
      code: z.enum(["NOT_FOUND", "REVOKED", "EXPIRED", "INSUFFICIENT_CREDITS", "DISABLED", "RATE_LIMITED"]),
      rateLimit: rateLimit.optional(),
    }),
  ])
;

const batchAnswer = z.object({ results: z.array(z.looseObject({ index: z.number().int(), success: z.boolean() })) });

function json(schema: z.ZodType) {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, embedded without their own $schema.
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" });
  return { "application/json": { schema: inline } };
}
const errorResponse = (description: string) => ({ description, content: json(errorSchema) });
const common = {
  "400": errorResponse("invalid_request"),
  "401": errorResponse("unauthorized"),
  "413": errorResponse("payload_too_large"),
  "429": errorResponse("rate_limited; see Retry-After"),
  "503": errorResponse("unavailable: nothing was changed"),
};

/** OpenAPI 3.1 of SPEC section 2, generated from the zod schemas the routes validate with. */
export function buildOpenApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Credit portal service API", version: "1.0.0", description: "Called by the data API service with a service token." },
    components: { securitySchemes: { serviceToken: { type: "http", scheme: "bearer" } } },
    security: [{ serviceToken: [] }],
    paths: {
      "/api/usage": {
        post: {
          summary: "Report one billable request (idempotent per API key + requestId)",
          requestBody: { required: true, content: json(usageEventSchema) },
          responses: {
            "200": { description: "Charged, or the first answer again with duplicate: true", content: json(usageSuccess) },
            ...common,
            "402": errorResponse("insufficient_credits"),
            "403": errorResponse("invalid_api_key | revoked_api_key | expired_api_key"),
            "409": errorResponse("idempotency_conflict"),
          },
        },
      },
      "/api/usage/batch": {
        post: {
          summary: "Report up to 1,000 requests; each is answered as the single route would",
          requestBody: { required: true, content: json(usageBatchSchema) },
          responses: { "200": { description: "One result per event, in request order", content: json(batchAnswer) }, ...common },
        },
      },
      "/api/keys/verify": {
        post: {
          summary: "Check an API key (and consume its own rate limit, if it has one)",
          requestBody: { required: true, content: json(verifyRequestSchema) },
          responses: { "200": { description: "Valid or the reason it is not", content: json(verifyAnswer) }, ...common },
        },
      },
    },
  };
}
