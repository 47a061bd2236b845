import { after } from "next/server";
import { mirrorWritesSent } from "@/lib/cache";
import type { Defer } from "@/lib/credits";
import { startUsageWorkers } from "@/lib/usage/workers";
import { authenticateServiceToken } from "./auth";
import { readJsonBody } from "./body";
import { errorBody, isUnavailableError, PayloadTooLargeError, serviceErrors, type ServiceErrorCode } from "./errors";
import { limitServiceToken } from "./limiters";

export type ServiceContext = { body: unknown; tokenId: string; defer: Defer };
export type ServiceResult = { status: number; body: unknown };

const noStore = { "Cache-Control": "no-store" };

export function serviceError(code: ServiceErrorCode, extra?: Record<string, unknown>): ServiceResult {
  return { status: serviceErrors[code], body: errorBody(code, extra) };
}

// Follow-ups (Redis mirror, alerts, lastUsedAt) run after the response is sent, and are awaited there so
// that a serverless host keeps the function alive until they are done. They are scheduled after the
// deduction has committed, so failing to schedule them must not turn that success into an error answer:
// outside a request scope (the handler called directly) they simply run in the background.
const deferAfterResponse: Defer = (task) => {
  const followUp = async () => {
    await task();
    await mirrorWritesSent();
  };
  try {
    after(followUp);
  } catch {
    followUp().catch((error: unknown) => console.error("[service-api] follow-up failed:", error));
  }
};

/**
 * The one wrapper of the service routes (SPEC section 2): service-token auth in constant time, the
 * per-token rate limit with its headers, a body-size limit, JSON parsing, and errors mapped to SPEC codes.
 */
export function serviceRoute(options: { maxBytes: number }, handler: (context: ServiceContext) => Promise<ServiceResult>) {
  return async (request: Request): Promise<Response> => {
    startUsageWorkers();
    const tokenId = authenticateServiceToken(request.headers.get("authorization"));
    if (!tokenId) return Response.json(errorBody("unauthorized"), { status: 401, headers: noStore });
    const limit = await limitServiceToken(tokenId);
    const headers: Record<string, string> = {
      ...noStore,
      "X-RateLimit-Limit": String(limit.limit),
      "X-RateLimit-Remaining": String(limit.remaining),
      "X-RateLimit-Reset": String(Math.ceil(limit.reset / 1000)),
    };
    if (!limit.success) {
      const retryAfter = Math.max(1, Math.ceil((limit.reset - Date.now()) / 1000));
      return Response.json(errorBody("rate_limited"), { status: 429, headers: { ...headers, "Retry-After": String(retryAfter) } });
    }
    try {
      const parsed = await readJsonBody(request, options.maxBytes);
      if (!parsed.ok) return Response.json(errorBody("invalid_request", { issues: [{ code: "custom", path: [], message: "The body is not valid JSON." }] }), { status: 400, headers });
      const result = await handler({ body: parsed.value, tokenId, defer: deferAfterResponse });
      return Response.json(result.body, { status: result.status, headers });
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return Response.json(errorBody("payload_too_large"), { status: 413, headers });
      if (isUnavailableError(error)) return Response.json(errorBody("unavailable"), { status: 503, headers });
      console.error("[service-api] unexpected error:", error);
      return Response.json(errorBody("internal_error"), { status: 500, headers });
    }
  };
}
