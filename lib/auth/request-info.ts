import { headers } from "next/headers";
import { clientIpFromForwardedFor } from "@/lib/client-ip";
import { env } from "@/lib/env";

export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * The client's IP and browser, for audit rows, session rows and rate limits: the one place that reads the
 * client address (TRUSTED_PROXY_COUNT entries from the right of X-Forwarded-For). X-Real-IP is not read:
 * a client can send it as easily as a forged X-Forwarded-For prefix. Outside a request: unknown.
 */
export async function getRequestInfo(): Promise<RequestInfo> {
  try {
    const list = await headers();
    return {
      ipAddress: clientIpFromForwardedFor(list.get("x-forwarded-for"), env().TRUSTED_PROXY_COUNT),
      userAgent: list.get("user-agent")?.slice(0, 500) ?? null,
    };
  } catch {
    return { ipAddress: null, userAgent: null };
  }
}
