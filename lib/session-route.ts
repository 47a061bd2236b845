import { z } from "zod";
import type { Organization } from "@/db/schema";
import { authorizeAction, type ActionDecision } from "@/lib/action-policy";
import { loadTargetOrganization } from "@/lib/actions";
import { can, permissionRule, type Permission } from "@/lib/auth/permissions";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import { isUnavailableError } from "@/lib/service-api/errors";

export type SessionRouteError = "unauthorized" | "forbidden" | "not_found" | "invalid_request" | "provider_error" | "unavailable" | "internal_error";

const statuses: Record<SessionRouteError, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  internal_error: 500,
  provider_error: 502,
  unavailable: 503,
};

const defaultMessages: Record<SessionRouteError, string> = {
  invalid_request: "The request body is not valid.",
  unauthorized: "Sign in to do that.",
  forbidden: "You do not have permission to do that.",
  not_found: "Not found.",
  internal_error: "Something went wrong on our side.",
  provider_error: "The payment provider could not be reached.",
  unavailable: "The portal's database cannot be reached. Try again in a moment.",
};

/** The SPEC section 2 error body, for the routes a signed-in browser calls. */
export function routeError(code: SessionRouteError, message = defaultMessages[code], extra: Record<string, unknown> = {}) {
  return Response.json({ success: false, error: code, message, ...extra }, { status: statuses[code], headers: { "Cache-Control": "no-store" } });
}

type Options<Schema extends z.ZodType> = {
  /** The JSON body's schema; for GET and HEAD, the query string's. */
  schema: Schema;
  /** The entry of the permission table (lib/auth/permissions.ts) the route needs. */
  permission: Permission;
  /** The organization the request targets, when it is not the viewer's own (a platform admin's `organizationId=`). */
  organizationId?: (input: z.infer<Schema>) => string | undefined;
};

export type SessionRouteContext<Params> = { viewer: Viewer; organization: Organization; params: Params; request: Request };

const refusals: Record<Exclude<ActionDecision, "allowed">, [SessionRouteError, string?]> = {
  signed_out: ["unauthorized"],
  unverified: ["forbidden", "Verify your email address first."],
  forbidden: ["forbidden"],
  // Another organization answers exactly as one that does not exist.
  organization_not_found: ["not_found"],
  organization_disabled: ["forbidden", "This organization is disabled, so nothing in it can be changed."],
};

const routePermissions = new WeakMap<object, Permission>();

/** The permission `sessionRoute` put on a handler, or undefined for a handler it did not make. Read by the matrix test. */
export function routePermission(handler: unknown): Permission | undefined {
  return typeof handler === "function" ? routePermissions.get(handler) : undefined;
}

async function readInput(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  if (request.method === "GET" || request.method === "HEAD") {
    // A repeated parameter stays a list, so a schema of single values refuses it instead of picking one.
    const params = new URL(request.url).searchParams;
    const names = [...new Set(params.keys())];
    return { ok: true, value: Object.fromEntries(names.map((name) => [name, params.getAll(name).length > 1 ? params.getAll(name) : params.get(name)])) };
  }
  const text = await request.text();
  try {
    return { ok: true, value: text ? JSON.parse(text) : {} };
  } catch {
    return { ok: false };
  }
}

/**
 * The route handler counterpart of `createAction`, for routes a signed-in browser calls (the PayPal buttons,
 * exports): session, the zod-parsed input, the target organization and the permission table, as
 * `authorizeAction` decides for actions. `handler` maps its own expected errors; a database outage is 503
 * and anything else is logged once and answered 500.
 */
export function sessionRoute<Schema extends z.ZodType, Params>(
  options: Options<Schema>,
  handler: (input: z.infer<Schema>, context: SessionRouteContext<Params>) => Promise<Response>,
) {
  const route = async (request: Request, routeContext: { params: Promise<Params> }): Promise<Response> => {
    try {
      const viewer = await getViewer();
      if (!viewer) return routeError("unauthorized");
      // The role and the email first, so a caller without the permission learns nothing from validation.
      if (!can(viewer.role, options.permission)) return routeError(...refusals.forbidden);
      if (permissionRule(options.permission).requireVerifiedEmail && !viewer.emailVerified) return routeError(...refusals.unverified);
      const input = await readInput(request);
      if (!input.ok) return routeError("invalid_request", "The body is not valid JSON.");
      const parsed = options.schema.safeParse(input.value);
      if (!parsed.success) return routeError("invalid_request", undefined, { issues: parsed.error.issues });
      const organization = await loadTargetOrganization(viewer, options.permission, options.organizationId?.(parsed.data));
      const decision = authorizeAction(viewer, organization, options.permission);
      if (decision !== "allowed") return routeError(...refusals[decision]);
      return await handler(parsed.data, { viewer, organization: organization!, params: await routeContext.params, request });
    } catch (error) {
      return unexpectedRouteError(error);
    }
  };
  routePermissions.set(route, options.permission);
  return route;
}

/** A database outage is 503; anything else is logged once and answered 500. */
function unexpectedRouteError(error: unknown) {
  if (isUnavailableError(error)) return routeError("unavailable");
  console.error("[route] unexpected error:", error);
  return routeError("internal_error");
}
