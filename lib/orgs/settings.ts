import { eq, sql } from "drizzle-orm";
import { withTransaction } from "@/db/transaction";
import { organizations } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { RequestInfo } from "@/lib/auth/request-info";

export type SettingsActor = { userId: string; request: RequestInfo };

/** The organization's name and the scopes its `user` members may grant to keys, with the audit row. */
export async function updateOrganizationSettings(input: { organizationId: string; name: string; memberKeyScopes: string[] | null; actor: SettingsActor }) {
  return withTransaction(async ({ tx }) => {
    const [before] = await tx.select().from(organizations).where(eq(organizations.id, input.organizationId)).for("update");
    if (!before) return null;
    const [after] = await tx
      .update(organizations)
      .set({ name: input.name, memberKeyScopes: input.memberKeyScopes, updatedAt: new Date() })
      .where(eq(organizations.id, input.organizationId))
      .returning();
    await writeAudit(
      {
        action: "organization.settings_updated",
        actorUserId: input.actor.userId,
        organizationId: input.organizationId,
        targetType: "organization",
        targetId: input.organizationId,
        metadata: { name: { from: before.name, to: after!.name }, memberKeyScopes: { from: before.memberKeyScopes, to: after!.memberKeyScopes } },
        ...input.actor.request,
      },
      tx,
    );
    return after!;
  });
}

/**
 * Sets the low-credit threshold. A balance already above the new threshold re-arms the alert (as a purchase
 * would, lib/alerts), so it fires again the next time the balance crosses it.
 */
export async function updateLowCreditThreshold(input: { organizationId: string; lowCreditThreshold: number; actor: SettingsActor }) {
  return withTransaction(async ({ tx }) => {
    const [before] = await tx
      .select({ threshold: organizations.lowCreditThreshold })
      .from(organizations)
      .where(eq(organizations.id, input.organizationId))
      .for("update");
    if (!before) return null;
    const [after] = await tx
      .update(organizations)
      .set({
        lowCreditThreshold: input.lowCreditThreshold,
        lowCreditAlertedAt: sql`case when ${organizations.balance} > ${input.lowCreditThreshold} then null else ${organizations.lowCreditAlertedAt} end`,
        updatedAt: new Date(),
      })
      .where(eq(organizations.id, input.organizationId))
      .returning();
    await writeAudit(
      {
        action: "organization.threshold_updated",
        actorUserId: input.actor.userId,
        organizationId: input.organizationId,
        targetType: "organization",
        targetId: input.organizationId,
        metadata: { from: before.threshold, to: input.lowCreditThreshold },
        ...input.actor.request,
      },
      tx,
    );
    return after!;
  });
}
