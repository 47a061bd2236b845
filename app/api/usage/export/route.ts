import { authorizeAction, loadTargetOrganization } from "@/lib/actions";
import { routeError, sessionGetRoute } from "@/lib/session-route";
import { organizationHasApiKey, usageCsvStream, usageExportBatches, usageExportFilename } from "@/lib/usage/export";
import { parseUsageExportQuery } from "@/lib/usage/export-filter";

/**
 * SPEC section 8: the usage events of the viewer's organization (or, for a business admin, `organizationId`)
 * as a streamed CSV. Another organization, or a key that is not the organization's, answers 404.
 */
export const GET = sessionGetRoute(async (params, { viewer, request }) => {
  const parsed = parseUsageExportQuery(params);
  if (!parsed.success) return routeError("invalid_request", "The export filter is not valid.", { issues: parsed.error.issues });
  const { organizationId, keyId, from, to, endpoint } = parsed.data;

  const organization = await loadTargetOrganization(viewer, organizationId);
  if (authorizeAction(viewer, organization, { writes: "nothing" }) !== "allowed") return routeError("not_found");
  if (keyId && !(await organizationHasApiKey(organization!.id, keyId))) return routeError("not_found");

  const filter = { organizationId: organization!.id, from, to, apiKeyId: keyId, endpoint };
  return new Response(usageCsvStream(usageExportBatches(filter), { signal: request.signal }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${usageExportFilename(filter)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
