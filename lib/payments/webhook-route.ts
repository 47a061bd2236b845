import { isUnavailableError } from "@/lib/service-api/errors";

// Provider events are small; anything larger is not an event of theirs.
const maxWebhookBytes = 512 * 1024;

/**
 * What every webhook route shares: the raw body read whole (signatures cover the exact bytes), and an
 * answer for failures. 500 only when a retry can help: the database was unreachable or the handler threw,
 * and since nothing was recorded the provider's retry applies the event.
 */
export async function readWebhookBody(request: Request): Promise<string | null> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > maxWebhookBytes) return null;
  const body = await request.text();
  return body.length > maxWebhookBytes ? null : body;
}

export function webhookFailure(provider: string, error: unknown) {
  const unavailable = isUnavailableError(error);
  console.error(`[payments] ${provider} webhook failed${unavailable ? " (database unavailable)" : ""}:`, error);
  return Response.json({ error: unavailable ? "unavailable" : "internal_error" }, { status: 500 });
}

export const invalidSignature = () => Response.json({ error: "invalid_signature" }, { status: 400 });
