import { routeError, sessionRoute } from "@/lib/session-route";
import { organizationHasApiKey, usageCsvStream, usageExportBatches, usageExportFilename } from "@/lib/usage/export";
import { usageExportQuerySchema } from "@/lib/usage/export-filter";

/**
 * SPEC section 8: the usage events of the viewer's organization (or, for a business admin, `organizationId`)
 * as a streamed CSV. Another organization, or a key that is not the organization's, answers 404.
 */
export const GET = sessionRoute(
  { schema: usageExportQuerySchema, permission: "usage.export", organizationId: (query) => query.organizationId },
  async ({ keyId, from, to, endpoint }, { organization, request }) => {
    if (keyId && !(await organizationHasApiKey(organization.id, keyId))) return routeError("not_found");
    const filter = { organizationId: organization.id, from, to, apiKeyId: keyId, endpoint };
    return new Response(usageCsvStream(usageExportBatches(filter), { signal: request.signal }), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${usageExportFilename(filter)}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
);
