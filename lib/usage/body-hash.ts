import { hash } from "node:crypto";
import type { UsageEventInput } from "./schemas";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * What makes two reports with one requestId "the same body": everything but the key (already part of the
 * identity), with metadata keys sorted and occurredAt normalised, so a retry that re-serialises is not a 409.
 */
export function hashUsageBody(event: UsageEventInput) {
  const normalised = {
    requestId: event.requestId,
    credits: event.credits,
    endpoint: event.endpoint ?? null,
    metadata: event.metadata ? canonical(event.metadata) : null,
    occurredAt: event.occurredAt ? new Date(event.occurredAt).toISOString() : null,
  };
  return hash("sha256", JSON.stringify(normalised));
}
