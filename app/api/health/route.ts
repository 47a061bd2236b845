import { checkReadiness } from "@/lib/health";
import { isDraining } from "@/lib/shutdown";

// Readiness: a load balancer takes this instance out of rotation while the database is down. A cache outage
// answers 200 "degraded": every instance shares one Redis, so pulling them for it would take the service down.
export const dynamic = "force-dynamic";

export async function GET() {
  // Shutting down (lib/shutdown.ts): out of rotation before the instance stops, whatever the dependencies say.
  if (isDraining()) return Response.json({ status: "draining" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  const { ready, body } = await checkReadiness();
  return Response.json(body, { status: ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
