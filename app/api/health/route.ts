import { pingCache } from "@/lib/cache";
import { checkReadiness } from "@/lib/health";

// Readiness: a load balancer takes this instance out of rotation while the database or cache is down.
export const dynamic = "force-dynamic";

export async function GET() {
  const { healthy, body } = await checkReadiness(pingCache);
  return Response.json(body, { status: healthy ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
