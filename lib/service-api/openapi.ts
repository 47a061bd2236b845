import { z } from "zod";
import { usageBatchSchema, usageEventSchema, verifyRequestSchema } from "@/lib/usage/schemas";
import {
  batchAnswer,
  codesWithStatus,
  cronAnswer,
  errorCodeCatalogue,
  errorSchema,
  livenessAnswer,
  readinessAnswer,
  usageSuccess,
  verifyAnswer,
} from "./openapi-schemas";

function jsonSchema(schema: z.ZodType) {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, embedded without their own $schema.
  const { $schema: _dialect, ...inline } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" });
  return inline;
}
const json = (schema: z.ZodType) => ({ "application/json": { schema: jsonSchema(schema) } });

/** One response per status, its schema naming exactly the codes answered with that status. */
function errorResponses(statuses: number[], notes: Record<number, string> = {}) {
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = codesWithStatus(status) as [string, ...string[]];
      const description = [codes.join(" | "), notes[status]].filter(Boolean).join(": ");
      return [String(status), { description, content: json(errorSchema(codes)) }];
    }),
  );
}

/** What every service route can answer besides its own errors (SPEC section 2). */
const serviceCommon = [400, 401, 413, 429, 500, 503];
const serviceNotes = {
  413: "the body is over the route's limit",
  429: "per service token; wait for Retry-After seconds",
  503: "the database cannot be reached; nothing was changed, retry",
};
const rateLimitHeaders = {
  "X-RateLimit-Limit": { description: "Requests per second allowed for this service token.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "Unix time in seconds when the window resets.", schema: { type: "integer" } },
};
const publicRoute = { security: [] as never[] };

const exportParameters = [
  { name: "from", in: "query", required: false, description: "ISO 8601; events at or after it.", schema: { type: "string", format: "date-time" } },
  { name: "to", in: "query", required: false, description: "ISO 8601; events before it.", schema: { type: "string", format: "date-time" } },
  { name: "keyId", in: "query", required: false, description: "Only this API key's events.", schema: { type: "string", format: "uuid" } },
  { name: "endpoint", in: "query", required: false, description: "Only this endpoint's events.", schema: { type: "string", maxLength: 200 } },
  { name: "organizationId", in: "query", required: false, description: "business_admin only: another organization.", schema: { type: "string", format: "uuid" } },
];

const cronRoute = (summary: string) => ({
  get: {
    tags: ["Schedulers"],
    summary,
    security: [{ cronSecret: [] }],
    responses: {
      "200": { description: "The pass ran", content: json(cronAnswer) },
      "401": { description: "unauthorized: the bearer token is not CRON_SECRET", content: json(errorSchema(["unauthorized"])) },
    },
  },
});

/** OpenAPI 3.1 of SPEC sections 2 and 8, generated from the zod schemas the routes validate with. */
export function buildOpenApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Credit portal service API",
      version: "1.1.0",
      description:
        "Called by the data API service with a service token (one of USAGE_SERVICE_TOKENS), by hosted schedulers with CRON_SECRET, and by signed-in browsers for the export. Error bodies are always { success: false, error, message }.",
    },
    tags: [
      { name: "Service", description: "Called by the data API service." },
      { name: "Health", description: "Called by load balancers and orchestrators; no auth." },
      { name: "Schedulers", description: "Called by hosted cron schedulers." },
      { name: "Browser", description: "Called by a signed-in portal user." },
    ],
    components: {
      securitySchemes: {
        serviceToken: { type: "http", scheme: "bearer", description: "One of USAGE_SERVICE_TOKENS, compared in constant time." },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The portal's session (__Secure- prefixed over HTTPS)." },
      },
      schemas: { ErrorCode: errorCodeCatalogue },
    },
    security: [{ serviceToken: [] }],
    paths: {
      "/api/usage": {
        post: {
          tags: ["Service"],
          summary: "Report one billable request (idempotent per API key + requestId)",
          description: "The deduction, the usage record and the ledger row are one transaction; a balance never goes below zero. Body up to 64 KB.",
          requestBody: { required: true, content: json(usageEventSchema) },
          responses: {
            "200": { description: "Charged, or the first answer again with duplicate: true", headers: rateLimitHeaders, content: json(usageSuccess) },
            ...errorResponses([...serviceCommon, 402, 403, 409], {
              ...serviceNotes,
              402: "nothing was deducted; remainingCredits is the balance",
              409: "the same requestId came with a different body",
            }),
          },
        },
      },
      "/api/usage/batch": {
        post: {
          tags: ["Service"],
          summary: "Report up to 1,000 requests; each is answered as the single route would",
          description: "Body up to 4 MB. An invalid event fails alone; events for one organization are applied in request order.",
          requestBody: { required: true, content: json(usageBatchSchema) },
          responses: {
            "200": { description: "One result per event, in request order", headers: rateLimitHeaders, content: json(batchAnswer) },
            ...errorResponses(serviceCommon, { ...serviceNotes, 400: "the body is not { events: [1 to 1000 items] }" }),
          },
        },
      },
      "/api/keys/verify": {
        post: {
          tags: ["Service"],
          summary: "Check an API key (and consume its own rate limit, if it has one)",
          requestBody: { required: true, content: json(verifyRequestSchema) },
          responses: {
            "200": { description: "Always 200 with a good service token: valid, or the reason it is not", headers: rateLimitHeaders, content: json(verifyAnswer) },
            ...errorResponses(serviceCommon, serviceNotes),
          },
        },
      },
      "/api/health": {
        get: {
          tags: ["Health"],
          summary: "Readiness: 503 only when the database is down (a Redis outage is 200 degraded)",
          ...publicRoute,
          responses: {
            "200": { description: "Ready (status ok or degraded)", content: json(readinessAnswer) },
            "503": { description: "Not ready: the database is down, or the instance is draining", content: json(readinessAnswer) },
          },
        },
      },
      "/api/health/live": {
        get: { tags: ["Health"], summary: "Liveness, without touching any dependency", ...publicRoute, responses: { "200": { description: "Alive", content: json(livenessAnswer) } } },
      },
      "/api/usage/export": {
        get: {
          tags: ["Browser"],
          summary: "Stream the usage events of a filter as CSV, oldest first",
          description:
            "Header line: occurred_at,request_id,api_key_id,api_key_name,endpoint,credits,balance_after. Cells beginning with = + - @, tab or CR are prefixed with '.",
          security: [{ sessionCookie: [] }],
          parameters: exportParameters,
          responses: {
            "200": { description: "The CSV, streamed", content: { "text/csv": { schema: { type: "string" } } } },
            "400": { description: "invalid_request: a filter is not valid", content: json(errorSchema(["invalid_request"])) },
            "401": { description: "unauthorized: not signed in", content: json(errorSchema(["unauthorized"])) },
            "404": { description: "not_found: the organization or key is not the caller's", content: json(errorSchema(["not_found"])) },
          },
        },
      },
      "/api/cron/forecast": cronRoute("Email the admins of organizations that run out within 3 days (at most once per 3 days each)"),
      "/api/cron/outbox": cronRoute("Deliver a pass of queued emails from the outbox"),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
