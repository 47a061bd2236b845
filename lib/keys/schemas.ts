import { z } from "zod";

/**
 * Key form schemas shared by the browser and the server, so both give the same field errors.
 * No server-only imports here: the keys dialogs bundle this file.
 */

export const maxGraceHours = 24;

export const keyNameSchema = z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters.");

export const createKeySchema = z.object({
  name: keyNameSchema,
  // An instant with its offset: the browser converts its local date and time, so the server never guesses a zone.
  expiresAt: z.iso
    .datetime({ offset: true, error: "Enter a valid date and time." })
    .refine((value) => Date.parse(value) > Date.now(), "Choose a time in the future.")
    .optional(),
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
