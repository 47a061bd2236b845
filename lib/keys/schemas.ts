import { z } from "zod";
import { safeText } from "@/lib/validation/text";

/**
 * Key form schemas shared by the browser and the server, so both give the same field errors.
 * No server-only imports here: the keys dialogs bundle this file.
 */

export const maxGraceHours = 24;

// Far enough for any real rotation policy, and well inside what a JS Date, Postgres and ISO 8601 all agree on.
export const maxExpiryYears = 10;

/** The latest expiry a key may have: `maxExpiryYears` from `now`. */
export function latestExpiry(now = new Date()) {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + maxExpiryYears);
  return latest;
}

export const keyNameSchema = safeText().min(1, "Enter a name.").max(100, "Use at most 100 characters.");

// An instant with its offset: the browser converts its local date and time, so the server never guesses a zone.
// A malformed value gets one error (abort), not also the range errors below.
export const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "Enter a valid date and time.", abort: true })
  .refine((value) => Date.parse(value) > Date.now(), "Choose a time in the future.")
  .refine((value) => Date.parse(value) <= latestExpiry().getTime(), `Choose a time within ${maxExpiryYears} years.`);

export const createKeySchema = z.object({
  name: keyNameSchema,
  expiresAt: expiresAtSchema.optional(),
  scopes: z.array(z.string().min(1)).min(1, "Choose at least one scope."),
  rateLimitPerMinute: z
    .number({ error: "Enter a whole number." })
    .int("Enter a whole number.")
    .positive("Enter a number above zero.")
    .max(1_000_000, "Use at most 1,000,000.")
    .optional(),
});

export type CreateKeyInput = z.input<typeof createKeySchema>;

export const keyIdSchema = z.object({ keyId: z.uuid() });

export const rollKeySchema = keyIdSchema.extend({
  graceHours: z
    .number({ error: "Enter a number of hours." })
    .int("Enter a whole number of hours.")
    .min(0, "Use 0 or more hours.")
    .max(maxGraceHours, `Use at most ${maxGraceHours} hours.`),
});
