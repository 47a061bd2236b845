import { z } from "zod";
import { metadataProblem, storableTextMessage, isStorableText } from "./storable";

/**
 * SPEC section 2. The OpenAPI document is generated from these same schemas. The rules go as far as
 * Postgres does: nothing that passes them may fail in the database (a 500 there, or in a batch a retry of
 * 999 good events beside one bad one).
 */

export const maxMetadataBytes = 4 * 1024;
export const maxMetadataDepth = 8;
export const maxUsageBodyBytes = 64 * 1024;
export const maxBatchBodyBytes = 4 * 1024 * 1024;
export const maxBatchEvents = 1000;

export const earliestOccurredAt = new Date("2020-01-01T00:00:00Z");
const maxFutureMs = 24 * 60 * 60 * 1000;

/** A string that Postgres text and jsonb store exactly as sent. */
const storableString = () => z.string().refine(isStorableText, { message: storableTextMessage });

const metadataSchema = z
  .record(z.string(), z.unknown())
  .superRefine((metadata, context) => {
    const problem = metadataProblem(metadata, { maxDepth: maxMetadataDepth, maxBytes: maxMetadataBytes });
    if (problem) context.addIssue({ code: "custom", message: problem.message, path: problem.path });
  })
  .describe(
    `At most ${maxMetadataBytes} bytes serialized and ${maxMetadataDepth} levels deep (this object is level 1); ` +
      "JSON values only, numbers finite, no key or string with NUL or an unpaired UTF-16 surrogate.",
  );

const occurredAtSchema = z.iso
  .datetime({ offset: true })
  .refine(
    (value) => {
      const time = Date.parse(value);
      return time >= earliestOccurredAt.getTime() && time <= Date.now() + maxFutureMs;
    },
    { message: "occurredAt must be from 2020-01-01T00:00:00Z to 24 hours ahead of the portal's clock" },
  )
  .describe("ISO 8601 with Z or an offset, from 2020-01-01T00:00:00Z to 24 hours ahead of the portal's clock; defaults to now.");

export const usageEventSchema = z.object({
  apiKey: z.string().min(1).max(200).describe("The API key the data API was called with."),
  requestId: storableString()
    .min(1)
    .max(128)
    .describe("Idempotency key: unique per API key. No NUL or unpaired UTF-16 surrogate."),
  credits: z.number().int().positive().max(1_000_000).describe("Credits to deduct."),
  endpoint: storableString().max(200).describe("No NUL or unpaired UTF-16 surrogate.").optional(),
  metadata: metadataSchema.optional(),
  occurredAt: occurredAtSchema.optional(),
});

export const usageBatchSchema = z
  .object({ events: z.array(z.unknown()).min(1).max(maxBatchEvents).describe("Objects shaped like UsageEvent.") });

export const verifyRequestSchema = z.object({ apiKey: z.string().min(1).max(200) });

export type UsageEventInput = z.infer<typeof usageEventSchema>;
