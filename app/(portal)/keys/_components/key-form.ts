import { z } from "zod";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { createKeySchema, type CreateKeyInput } from "@/lib/keys/schemas";

/** The form state every key dialog keeps: field errors beside the fields, one message for the rest. */
export type FormErrors = { message?: string; fields?: FieldErrors };

/**
 * A `datetime-local` value is the browser's local time without a zone; the browser knows the zone,
 * so it converts here and the server receives an unambiguous instant.
 */
function localDateTimeToIso(value: string) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** Reads the create form into the action's input; empty optional fields mean "not set". */
export function readCreateKeyForm(form: FormData): CreateKeyInput {
  const expiresAt = String(form.get("expiresAt") ?? "");
  const rateLimit = String(form.get("rateLimitPerMinute") ?? "").trim();
  return {
    name: String(form.get("name") ?? ""),
    expiresAt: expiresAt ? localDateTimeToIso(expiresAt) : undefined,
    scopes: form.getAll("scopes").map(String),
    rateLimitPerMinute: rateLimit ? Number(rateLimit) : undefined,
  };
}

/** The same checks the server runs, before the round trip. */
export function checkCreateKeyInput(input: CreateKeyInput): FormErrors | null {
  const parsed = createKeySchema.safeParse(input);
  return parsed.success ? null : { fields: z.flattenError(parsed.error).fieldErrors };
}

export function resultErrors(result: Extract<ActionResult<unknown>, { success: false }>): FormErrors {
  return { message: result.error, fields: result.fieldErrors };
}
