"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roles } from "@/db/schema";
import { createAction, failure, success } from "@/lib/actions";
import { requestActor } from "@/lib/admin/actor";
import { adjustOrganizationCredits } from "@/lib/admin/credits";
import { AdminError } from "@/lib/admin/errors";
import { adjustCreditsSchema } from "@/lib/admin/schemas";
import { resyncMirrorNow, retryFailedEmails } from "@/lib/admin/system";
import { formatCredits } from "@/lib/format";
import { setOrganizationDisabled } from "@/lib/orgs/disable";
import { createPackage, updatePackage } from "@/lib/packages";
import { packageFieldsSchema, updatePackageSchema } from "@/lib/packages/schemas";
import { changeUserRole, setUserDisabled, unlockUser } from "@/lib/users/admin";

// Every action here is business_admin only (SPEC section 1): the permission table says so, and the factory
// checks it on every call. The organization ones act on the organization they name.
const onOrganization = (input: { organizationId: string }) => input.organizationId;

/** An expected refusal becomes its message (beside `field` when given); anything else is unexpected. */
function adminFailure(error: unknown, field?: string) {
  if (!(error instanceof AdminError)) throw error;
  return failure(error.message, field ? { [field]: [error.message] } : undefined);
}

const organizationState = z.object({ organizationId: z.uuid(), disabled: z.enum(["true", "false"]).transform((value) => value === "true") });

export const setOrganizationDisabledAction = createAction(organizationState, { permission: "orgs.disable", organizationId: onOrganization }, async (input, { viewer }) => {
  try {
    const result = await setOrganizationDisabled(input.organizationId, input.disabled, await requestActor(viewer.userId));
    revalidatePath("/admin/organizations", "layout");
    return success({ ...result, disabled: input.disabled });
  } catch (error) {
    return adminFailure(error);
  }
});

export const adjustCreditsAction = createAction(adjustCreditsSchema, { permission: "credits.adjust", organizationId: onOrganization }, async (input, { viewer }) => {
  try {
    const result = await adjustOrganizationCredits(input, await requestActor(viewer.userId));
    revalidatePath(`/admin/organizations/${input.organizationId}`);
    return success({ balance: formatCredits(result.balance) });
  } catch (error) {
    return adminFailure(error, "delta");
  }
});

const userTarget = z.object({ userId: z.string().min(1).max(100) });

export const unlockUserAction = createAction(userTarget, "users.lock", async ({ userId }, { viewer }) => {
  try {
    const user = await unlockUser(userId, await requestActor(viewer.userId));
    revalidatePath("/admin", "layout");
    return success({ email: user.email });
  } catch (error) {
    return adminFailure(error);
  }
});

export const setUserDisabledAction = createAction(
  userTarget.extend({ disabled: z.enum(["true", "false"]).transform((value) => value === "true") }),
  "users.disable",
  async ({ userId, disabled }, { viewer }) => {
    try {
      const result = await setUserDisabled(userId, disabled, await requestActor(viewer.userId));
      revalidatePath("/admin", "layout");
      return success({ email: result.user.email, disabled, sessionsEnded: result.sessionsEnded });
    } catch (error) {
      return adminFailure(error);
    }
  },
);

export const changeUserRoleAction = createAction(userTarget.extend({ role: z.enum(roles) }), "users.role.update", async ({ userId, role }, { viewer }) => {
  try {
    const result = await changeUserRole(userId, role, await requestActor(viewer.userId));
    revalidatePath("/admin", "layout");
    return success({ email: result.user.email, role });
  } catch (error) {
    return adminFailure(error, "role");
  }
});

export const createPackageAction = createAction(packageFieldsSchema, "packages.manage", async (fields, { viewer }) => {
  try {
    const created = await createPackage(fields, await requestActor(viewer.userId));
    revalidatePath("/admin/packages");
    return success({ name: created.name });
  } catch (error) {
    return adminFailure(error);
  }
});

export const updatePackageAction = createAction(updatePackageSchema, "packages.manage", async ({ packageId, ...fields }, { viewer }) => {
  try {
    const updated = await updatePackage(packageId, fields, await requestActor(viewer.userId));
    revalidatePath("/admin/packages");
    return success({ name: updated.name, active: updated.active });
  } catch (error) {
    return adminFailure(error);
  }
});

export const resyncMirrorAction = createAction(z.object({}), "redis.resync", async (_input, { viewer }) => {
  const counts = await resyncMirrorNow(await requestActor(viewer.userId));
  revalidatePath("/admin/system");
  return success(counts);
});

export const retryFailedEmailsAction = createAction(z.object({}), "system.manage", async (_input, { viewer }) => {
  const retried = await retryFailedEmails(await requestActor(viewer.userId));
  revalidatePath("/admin/system");
  return success({ retried });
});
