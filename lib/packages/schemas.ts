import { z } from "zod";
import { safeText } from "@/lib/validation/text";

// Shared by the package form and the server (no server-only imports).

const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `Enter the ${label} as a whole number.` })
    .int(`Enter the ${label} as a whole number.`)
    .min(min, `The ${label} must be at least ${min.toLocaleString("en-US")}.`)
    .max(max, `The ${label} must be at most ${max.toLocaleString("en-US")}.`);

/** A checkbox: "on" when ticked, absent when not; booleans from callers that are not forms. */
const checkbox = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const packageFieldsSchema = z.object({
  name: safeText().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  credits: wholeNumber("credits", 1, 1_000_000_000),
  // Cents fit Postgres's integer; 50 is the smallest charge card providers accept.
  priceCents: wholeNumber("price in cents", 50, 100_000_000),
  currency: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3}$/, "Use a three-letter currency code such as USD."),
  active: checkbox,
  sortOrder: wholeNumber("sort order", 0, 1000).default(0),
});

export type PackageFields = z.infer<typeof packageFieldsSchema>;

export const updatePackageSchema = packageFieldsSchema.extend({ packageId: z.uuid("Not a package id.") });
