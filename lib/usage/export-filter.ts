import { z } from "zod";
import { earliestOccurredAt } from "./schemas";
import { isStorableText, storableTextMessage } from "./storable";

/**
 * The query string of GET /api/usage/export (SPEC section 8). Usage times are stored to the microsecond, so
 * a boundary keeps its microseconds too: it travels to Postgres as text, never through a JS Date, which
 * would cut `10:00:00.123456` to `.123` and move an event across the boundary.
 */

/** An instant as Postgres compares it: the UTC ISO text with six fraction digits, and microseconds since 1970. */
export type ExportInstant = { iso: string; micros: number };

const maxFutureMs = 24 * 60 * 60 * 1000;

function toInstant(value: string): ExportInstant {
  const fraction = /(?:T[\d:]+\.(\d+))/.exec(value)?.[1] ?? "";
  const extraMicros = Number(fraction.slice(3, 6).padEnd(3, "0"));
  // A bare date is midnight UTC in Date.parse; a date-time always has Z or an offset (the schema says so).
  const ms = Date.parse(value);
  const iso = `${new Date(ms).toISOString().slice(0, -1)}${String(extraMicros).padStart(3, "0")}Z`;
  return { iso, micros: ms * 1000 + extraMicros };
}

const instantSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: "must be an ISO 8601 date (2026-11-01, midnight UTC) or date-time with Z or an offset",
  })
  .refine((value) => !/\.\d{7,}/.test(value), "has more than six fraction digits (Postgres stores microseconds)")
  .transform(toInstant)
  .refine(
    (instant) => instant.micros >= earliestOccurredAt.getTime() * 1000 && instant.micros <= (Date.now() + maxFutureMs) * 1000,
    "must be from 2020-01-01 to one day ahead of now",
  );

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const usageExportQuerySchema = z
  .object({
    from: z.preprocess(emptyAsMissing, instantSchema.optional()),
    to: z.preprocess(emptyAsMissing, instantSchema.optional()),
    keyId: z.preprocess(emptyAsMissing, z.uuid("must be an API key id").optional()),
    endpoint: z.preprocess(
      emptyAsMissing,
      z.string().max(200).refine(isStorableText, storableTextMessage).optional(),
    ),
    organizationId: z.preprocess(emptyAsMissing, z.uuid("must be an organization id").optional()),
  })
  .refine((query) => !query.from || !query.to || query.from.micros < query.to.micros, {
    message: "from must be before to",
    path: ["to"],
  });

export type UsageExportQuery = z.infer<typeof usageExportQuerySchema>;

