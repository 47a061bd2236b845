import { eq } from "drizzle-orm";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { db } from "@/db/client";
import { organizations, type Organization } from "@/db/schema";
import { getViewer, type Viewer } from "@/lib/auth/viewer";
import { authorizeAction, type ActionDecision, type ActionPolicy } from "./action-policy";

export { authorizeAction, type ActionDecision, type ActionPolicy, type ActionWrites } from "./action-policy";

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { success: true; data: T }
  | { success: false; error: string; fieldErrors?: FieldErrors };

export type ActionContext = { viewer: Viewer; organization: Organization };

type ActionOptions<Input> = ActionPolicy & {
  /** The organization the action targets, when it is not the viewer's own. Membership is re-checked. */
  organizationId?: (input: Input) => string | undefined;
};

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

/** The organization a viewer targets: their own, or (business_admin only) the one asked for; null otherwise. */
export async function loadTargetOrganization(viewer: Viewer, requestedId: string | undefined) {
  const targetId = requestedId ?? viewer.organizationId;
  // A client-sent organization id is honoured only for the viewer's own organization, or for platform admins.
  if (targetId !== viewer.organizationId && viewer.role !== "business_admin") return null;
  const [organization] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, targetId));
  return organization ?? null;
}

/**
 * The one way to write a server action: parse the input with zod, load the session, load the target
 * organization and authorize (`authorizeAction`: role, verified email, a disabled organization refusing
 * writes), then run the body with a typed context. Server actions are public POST endpoints, so none may skip this.
 */
export function createAction<Schema extends z.ZodType, Output>(
  schema: Schema,
  options: ActionOptions<z.infer<Schema>>,
  body: (input: z.infer<Schema>, context: ActionContext) => Promise<ActionResult<Output>>,
) {
  return async (rawInput: unknown): Promise<ActionResult<Output>> => {
    const viewer = await getViewer();
    if (!viewer) return failure(refusalMessages.signed_out);
    const parsed = schema.safeParse(rawInput instanceof FormData ? Object.fromEntries(rawInput) : rawInput);
    if (!parsed.success) return failure(messages.invalid, z.flattenError(parsed.error).fieldErrors as FieldErrors);
    const organization = await loadTargetOrganization(viewer, options.organizationId?.(parsed.data));
    const decision = authorizeAction(viewer, organization, options);
    if (decision !== "allowed") return failure(refusalMessages[decision]);
    try {
      // "allowed" is never answered without an organization.
      return await body(parsed.data, { viewer, organization: organization! });
    } catch (error) {
      unstable_rethrow(error);
      console.error("[action] unexpected error:", error);
      return failure(messages.unexpected);
    }
  };
}

/**
 * For the few actions that cannot have a viewer (sign-up, sign-in, password reset): the same zod parsing,
 * result shape and error handling as `createAction`, without the session checks.
 */
export function createPublicAction<Schema extends z.ZodType, Output>(
  schema: Schema,
  body: (input: z.infer<Schema>) => Promise<ActionResult<Output>>,
) {
  return async (rawInput: unknown): Promise<ActionResult<Output>> => {
    const parsed = schema.safeParse(rawInput instanceof FormData ? Object.fromEntries(rawInput) : rawInput);
    if (!parsed.success) return failure(messages.invalid, z.flattenError(parsed.error).fieldErrors as FieldErrors);
    try {
      return await body(parsed.data);
    } catch (error) {
      unstable_rethrow(error);
      console.error("[action] unexpected error:", error);
      return failure(messages.unexpected);
    }
  };
}

/** Adapts an action to React's useActionState (previous state, FormData). */
export function formAction<Output>(run: (input: unknown) => Promise<ActionResult<Output>>) {
  return async (_previous: ActionResult<Output> | null, formData: FormData) => run(formData);
}
