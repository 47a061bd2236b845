import { requestActor, auditedBy } from "@/lib/admin/actor";
import { auditCsvLines, auditFiltersSchema } from "@/lib/admin/audit";
import { writeAudit } from "@/lib/audit";
import { sessionRoute } from "@/lib/session-route";

export const dynamic = "force-dynamic";

/**
 * GET /api/admin/audit/export?actor=&action=&organizationId=&from=&to= : the filtered audit log as CSV,
 * streamed a page at a time (`audit.read`: business_admin only). The export itself is audited: who took a
 * copy of the log, with which filters. A filter value that is not valid is dropped, as on the console's page.
 */
export const GET = sessionRoute({ schema: auditFiltersSchema, permission: "audit.read" }, async (filters, { viewer }) => {
  await writeAudit({ action: "audit.exported", targetType: "audit_log", metadata: { filters }, ...auditedBy(await requestActor(viewer.userId)) });
  const lines = auditCsvLines(filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error("[audit export] failed mid-stream:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
