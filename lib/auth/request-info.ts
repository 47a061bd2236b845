import { headers } from "next/headers";

export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/** The client's IP and browser, for audit rows, session rows and rate limits. Outside a request: unknown. */
export async function getRequestInfo(): Promise<RequestInfo> {
  try {
    const list = await headers();
    // The first x-forwarded-for hop is the client as our proxy (Vercel, a load balancer) saw it.
    const forwarded = list.get("x-forwarded-for")?.split(",")[0]?.trim();
    return {
      ipAddress: forwarded || list.get("x-real-ip") || null,
      userAgent: list.get("user-agent")?.slice(0, 500) ?? null,
    };
  } catch {
    return { ipAddress: null, userAgent: null };
  }
}
