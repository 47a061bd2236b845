import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { isUnavailableError } from "@/lib/service-api/errors";

const digest = (value: string) => createHash("sha256").update(value).digest();

function cronError(status: number, error: string, message: string) {
  return Response.json({ success: false, error, message }, { status, headers: { "Cache-Control": "no-store" } });
}

/** Hashed first, so the comparison is of 32 bytes in constant time whatever the lengths. The scheme is case-insensitive (RFC 9110). */
function presentsCronSecret(header: string | null, secret: string) {
  const match = /^Bearer (.+)$/i.exec(header ?? "");
  return match ? timingSafeEqual(digest(match[1]!), digest(secret)) : false;
}

/**
 * GET /api/cron/* (SPEC section 8): `Authorization: Bearer <CRON_SECRET>`, then `job`, answered as JSON
 * with what it did. Without CRON_SECRET the routes are off (503) rather than open.
 */
export function cronRoute(name: string, job: () => Promise<Record<string, unknown>>) {
  return async (request: Request): Promise<Response> => {
    const secret = env().CRON_SECRET;
    if (!secret) return cronError(503, "not_configured", "Set CRON_SECRET to enable the cron routes.");
    if (!presentsCronSecret(request.headers.get("authorization"), secret)) {
      return cronError(401, "unauthorized", "Send Authorization: Bearer <CRON_SECRET>.");
    }
    try {
      const result = await job();
      console.info(`[cron] ${name}: ${JSON.stringify(result)}`);
      return Response.json({ success: true, ...result }, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      if (isUnavailableError(error)) return cronError(503, "unavailable", "The portal's database cannot be reached. Try again in a moment.");
      console.error(`[cron] ${name} failed:`, error);
      return cronError(500, "internal_error", "Something went wrong on our side.");
    }
  };
}
