"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAction, failure, success } from "@/lib/actions";
import { getRequestInfo } from "@/lib/auth/request-info";
import { env } from "@/lib/env";
import { cancelInvitation, inviteMember, resendInvitation } from "@/lib/invitations";
import { changeMemberRole, removeMember, type MemberChangeRefusal } from "@/lib/orgs/members";
import { invitationIdSchema, inviteMemberSchema, lowCreditThresholdSchema, memberIdSchema, memberRoleSchema, organizationSettingsSchema } from "@/lib/orgs/schemas";
import { updateLowCreditThreshold, updateOrganizationSettings } from "@/lib/orgs/settings";

// A business admin may pass another organization (the factory re-checks it); everyone else acts on their own.
const targeted = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => schema.extend({ organizationId: z.uuid().optional() });
const target = (input: { organizationId?: string }) => input.organizationId;

const memberRefusals: Record<MemberChangeRefusal, string> = {
  not_found: "That member does not exist.",
  last_admin: "An organization needs at least one client admin. Make someone else an admin first.",
  platform_admin: "Platform administrators are managed in the admin console.",
  self: "You cannot remove yourself. Ask another admin.",
};

async function actor(userId: string, name?: string | null) {
  return { userId, name: name ?? null, request: await getRequestInfo() };
}

function refreshMembers() {
  revalidatePath("/org/members");
}

export const inviteMemberAction = createAction(targeted(inviteMemberSchema), { permission: "members.invite", organizationId: target }, async ({ email, role }, { viewer, organization }) => {
  const result = await inviteMember({ organizationId: organization.id, email, role, actor: await actor(viewer.userId, viewer.name) });
  if (!result.ok) return failure(`${email} is already a member.`, { email: [`${email} is already a member.`] });
  refreshMembers();
  return success({ email, resent: result.resent });
});

export const resendInvitationAction = createAction(targeted(invitationIdSchema), { permission: "members.invite", organizationId: target }, async ({ invitationId }, { viewer, organization }) => {
  if (!(await resendInvitation({ organizationId: organization.id, invitationId, actor: await actor(viewer.userId, viewer.name) }))) {
    return failure("That invitation does not exist any more.");
  }
  refreshMembers();
  return success(undefined);
});

export const cancelInvitationAction = createAction(targeted(invitationIdSchema), { permission: "members.invite", organizationId: target }, async ({ invitationId }, { viewer, organization }) => {
  if (!(await cancelInvitation({ organizationId: organization.id, invitationId, actor: await actor(viewer.userId) }))) {
    return failure("That invitation does not exist any more.");
  }
  refreshMembers();
  return success(undefined);
});

export const changeMemberRoleAction = createAction(targeted(memberRoleSchema), { permission: "members.role.update", organizationId: target }, async ({ memberId, role }, { viewer, organization }) => {
  const result = await changeMemberRole({ organizationId: organization.id, memberId, role, actor: await actor(viewer.userId) });
  if (!result.ok) return failure(memberRefusals[result.reason]);
  refreshMembers();
  // The viewer's own role may have changed, and with it the navigation.
  if (memberId === viewer.userId) revalidatePath("/", "layout");
  return success(undefined);
});

export const removeMemberAction = createAction(targeted(memberIdSchema), { permission: "members.remove", organizationId: target }, async ({ memberId }, { viewer, organization }) => {
  const result = await removeMember({ organizationId: organization.id, memberId, actor: await actor(viewer.userId) });
  if (!result.ok) return failure(memberRefusals[result.reason]);
  refreshMembers();
  return success(undefined);
});

export const updateOrganizationSettingsAction = createAction(
  targeted(organizationSettingsSchema),
  { permission: "org.settings.update", organizationId: target },
  async ({ name, memberScopesMode, memberKeyScopes }, { viewer, organization }) => {
    const configured = env().API_KEY_SCOPES;
    const unknown = memberKeyScopes.filter((scope) => !configured.includes(scope));
    if (unknown.length > 0) return failure("Choose only configured scopes.", { memberKeyScopes: [`Not a configured scope: ${unknown.join(", ")}.`] });
    const scopes = memberScopesMode === "all" ? null : configured.filter((scope) => memberKeyScopes.includes(scope));
    await updateOrganizationSettings({ organizationId: organization.id, name, memberKeyScopes: scopes, actor: await actor(viewer.userId) });
    revalidatePath("/", "layout");
    return success(undefined);
  },
);

export const updateLowCreditThresholdAction = createAction(
  targeted(lowCreditThresholdSchema),
  { permission: "org.threshold.update", organizationId: target },
  async ({ lowCreditThreshold }, { viewer, organization }) => {
    await updateLowCreditThreshold({ organizationId: organization.id, lowCreditThreshold, actor: await actor(viewer.userId) });
    revalidatePath("/", "layout");
    return success(undefined);
  },
);
