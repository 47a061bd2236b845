// Liveness: answers without touching any dependency, so a slow database never gets a healthy instance killed.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}
