import { eq } from "drizzle-orm";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { db } from "@/db/client";
import { organizations, type Organization } from "@/db/schema";
import { mayTargetOtherOrganizations, type Permission } from "@/lib/auth/permissions";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import { authorizeAction, type ActionDecision } from "./action-policy";

export { authorizeAction, type ActionDecision, type ActionPolicy, type ActionWrites } from "./action-policy";

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { success: true; data: T }
  | { success: false; error: string; fieldErrors?: FieldErrors };

export type ActionContext = { viewer: Viewer; organization: Organization };

type ActionOptions<Input> =
  | Permission
  | {
      permission: Permission;
      /** The organization the action targets, when it is not the viewer's own. Membership is re-checked. */
      organizationId?: (input: Input) => string | undefined;
    };

/** How each exported server action is guarded: its permission, or "public" (no viewer). Read by the matrix test. */
export type ActionGuard = { kind: "permission"; permission: Permission } | { kind: "public" };

const guards = new WeakMap<object, ActionGuard>();

/** The guard a factory put on `action`, or undefined for a function no factory made. */
export function actionGuard(action: unknown): ActionGuard | undefined {
  return typeof action === "function" ? guards.get(action) : undefined;
}

function guarded<F extends object>(action: F, guard: ActionGuard): F {
  guards.set(action, guard);
  return action;
}

export function failure(error: string, fieldErrors?: FieldErrors): ActionResult<never> {
  return { success: false, error, fieldErrors };
}

export function success<T>(data: T): ActionResult<T> {
  return { success: true, data };
}

export const messages = {
  signedOut: "Your session has ended. Sign in again.",
  forbidden: "You do not have permission to do that.",
  unverified: "Verify your email address first. Check your inbox or resend the link from the banner.",
  invalid: "Check the highlighted fields.",
  unexpected: "Something went wrong on our side. Try again in a moment.",
  organizationNotFound: "That organization does not exist.",
  organizationDisabled: "This organization is disabled, so nothing in it can be changed. Contact support to enable it again.",
} as const;

const refusalMessages: Record<Exclude<ActionDecision, "allowed">, string> = {
  signed_out: messages.signedOut,
  unverified: messages.unverified,
  organization_not_found: messages.organizationNotFound,
  forbidden: messages.forbidden,
  organization_disabled: messages.organizationDisabled,
};

/** The organization a request targets: the viewer's own, or (a platform admin only) the one it names. */
export async function loadTargetOrganization(viewer: Viewer, permission: Permission, requestedId: string | undefined) {
  const targetId = requestedId ?? viewer.organizationId;
  // A client-sent organization id is honoured only for the viewer's own organization, or for platform admins.
  if (targetId !== viewer.organizationId && !mayTargetOtherOrganizations(viewer.role, permission)) return null;
  if (!z.uuid().safeParse(targetId).success) return null;
  const [organization] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, targetId));
  return organization ?? null;
}

/**
 * The one way to write a server action: parse the input with zod, load the session, load the target
 * organization and authorize against the permission table (`authorizeAction`: role, tenant, verified email,
 * a disabled organization refusing writes), then run the body with a typed context. Server actions are
 * public POST endpoints, so none may skip this.
 */
export function createAction<Schema extends z.ZodType, Output>(
  schema: Schema,
  options: ActionOptions<z.infer<Schema>>,
  body: (input: z.infer<Schema>, context: ActionContext) => Promise<ActionResult<Output>>,
) {
  const { permission, organizationId } = typeof options === "string" ? { permission: options, organizationId: undefined } : options;
  return guarded(async (rawInput: unknown): Promise<ActionResult<Output>> => {
    const viewer = await getViewer();
    if (!viewer) return failure(refusalMessages.signed_out);
    const parsed = schema.safeParse(rawInput instanceof FormData ? Object.fromEntries(rawInput) : rawInput);
    if (!parsed.success) return failure(messages.invalid, z.flattenError(parsed.error).fieldErrors as FieldErrors);
    const organization = await loadTargetOrganization(viewer, permission, organizationId?.(parsed.data));
    const decision = authorizeAction(viewer, organization, permission);
    if (decision !== "allowed") return failure(refusalMessages[decision]);
    try {
      // "allowed" is never answered without an organization.
      return await body(parsed.data, { viewer, organization: organization! });
    } catch (error) {
      unstable_rethrow(error);
      console.error("[action] unexpected error:", error);
      return failure(messages.unexpected);
    }
  }, { kind: "permission", permission });
}

/**
 * For the few actions that cannot have a viewer (sign-up, sign-in, password reset): the same zod parsing,
 * result shape and error handling as `createAction`, without the session checks.
 */
export function createPublicAction<Schema extends z.ZodType, Output>(
  schema: Schema,
  body: (input: z.infer<Schema>) => Promise<ActionResult<Output>>,
) {
  return guarded(async (rawInput: unknown): Promise<ActionResult<Output>> => {
    const parsed = schema.safeParse(rawInput instanceof FormData ? Object.fromEntries(rawInput) : rawInput);
    if (!parsed.success) return failure(messages.invalid, z.flattenError(parsed.error).fieldErrors as FieldErrors);
    try {
      return await body(parsed.data);
    } catch (error) {
      unstable_rethrow(error);
      console.error("[action] unexpected error:", error);
      return failure(messages.unexpected);
    }
  }, { kind: "public" });
}

/** Adapts an action to React's useActionState (previous state, FormData). */
export function formAction<Output>(run: (input: unknown) => Promise<ActionResult<Output>>) {
  return async (_previous: ActionResult<Output> | null, formData: FormData) => run(formData);
}
