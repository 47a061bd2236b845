import { z } from "zod";
import { isStorableText } from "@/lib/validation/text";

// Shared by the admin forms and the server (no server-only imports).

export const maxAdjustment = 1_000_000_000;

export const adjustmentReasonSchema = z
  .string()
  .trim()
  .min(1, "Give a reason; it goes to the ledger and the audit log.")
  .max(500, "Use at most 500 characters.")
  .refine(isStorableText, "Remove the unsupported character (a NUL or half of an emoji).");

export const adjustmentDeltaSchema = z.coerce
  .number({ error: "Enter a whole number of credits." })
  .int("Enter a whole number of credits.")
  .refine((value) => value !== 0, "An adjustment cannot be 0.")
  .refine((value) => Math.abs(value) <= maxAdjustment, `Adjust by at most ${maxAdjustment.toLocaleString("en-US")} credits at a time.`);

export const adjustCreditsSchema = z.object({
  organizationId: z.uuid("Not an organization id."),
  delta: adjustmentDeltaSchema,
  reason: adjustmentReasonSchema,
});

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter an email address."));
