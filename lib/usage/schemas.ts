import { z } from "zod";

/** SPEC section 2. The OpenAPI document is generated from these same schemas. */

export const maxMetadataBytes = 4 * 1024;
export const maxUsageBodyBytes = 64 * 1024;
export const maxBatchBodyBytes = 4 * 1024 * 1024;
export const maxBatchEvents = 1000;

export const usageEventSchema = z
  .object({
    apiKey: z.string().min(1).max(200).describe("The API key the data API was called with."),
    requestId: z.string().min(1).max(128).describe("Idempotency key: unique per API key."),
    credits: z.number().int().positive().max(1_000_000).describe("Credits to deduct."),
    endpoint: z.string().max(200).optional(),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((value) => Buffer.byteLength(JSON.stringify(value)) <= maxMetadataBytes, {
        message: `metadata must be at most ${maxMetadataBytes} bytes serialized`,
      })
      .optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional().describe("ISO 8601; defaults to now."),
  });

export const usageBatchSchema = z
  .object({ events: z.array(z.unknown()).min(1).max(maxBatchEvents).describe("Objects shaped like UsageEvent.") });

export const verifyRequestSchema = z.object({ apiKey: z.string().min(1).max(200) });

export type UsageEventInput = z.infer<typeof usageEventSchema>;
