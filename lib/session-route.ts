import { z } from "zod";
import type { Role } from "@/db/schema";
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
  schema: Schema;
  /** Roles allowed; business_admin always is. */
  roles?: readonly Role[];
  requireVerifiedEmail?: boolean;
};

/**
 * The route handler counterpart of `createAction`, for JSON routes a signed-in browser calls (the PayPal
 * buttons): session, role, verified email, then the zod-parsed body. `handler` maps its own expected
 * errors; a database outage is 503 and anything else is logged once and answered 500.
 */
export function sessionRoute<Schema extends z.ZodType, Params>(
  options: Options<Schema>,
  handler: (input: z.infer<Schema>, context: { viewer: Viewer; params: Params }) => Promise<Response>,
) {
  return async (request: Request, routeContext: { params: Promise<Params> }): Promise<Response> => {
    try {
      const viewer = await getViewer();
      if (!viewer) return routeError("unauthorized");
      if (options.roles && viewer.role !== "business_admin" && !options.roles.includes(viewer.role)) return routeError("forbidden");
      if (options.requireVerifiedEmail && !viewer.emailVerified) {
        return routeError("forbidden", "Verify your email address first.");
      }
      const text = await request.text();
      let json: unknown = {};
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        return routeError("invalid_request", "The body is not valid JSON.");
      }
      const parsed = options.schema.safeParse(json);
      if (!parsed.success) return routeError("invalid_request", undefined, { issues: parsed.error.issues });
      return await handler(parsed.data, { viewer, params: await routeContext.params });
    } catch (error) {
      return unexpectedRouteError(error);
    }
  };
}

/** A database outage is 503; anything else is logged once and answered 500. */
function unexpectedRouteError(error: unknown) {
  if (isUnavailableError(error)) return routeError("unavailable");
  console.error("[route] unexpected error:", error);
  return routeError("internal_error");
}

/**
 * For GET routes a signed-in browser opens (the usage CSV export): the session, then `handler` with the
 * request's search params, and the error mapping of `sessionRoute`. Reads are open to every role
 * (SPEC section 1); the handler authorizes the organization it reads.
 */
export function sessionGetRoute(handler: (params: URLSearchParams, context: { viewer: Viewer; request: Request }) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    try {
      const viewer = await getViewer();
      if (!viewer) return routeError("unauthorized");
      return await handler(new URL(request.url).searchParams, { viewer, request });
    } catch (error) {
      return unexpectedRouteError(error);
    }
  };
}
