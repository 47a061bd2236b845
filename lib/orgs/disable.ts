import { eq, sql } from "drizzle-orm";
import { organizations } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { type AdminActor, auditedBy } from "@/lib/admin/actor";
import { AdminError } from "@/lib/admin/errors";
import { writeAudit } from "@/lib/audit";
import { remirrorOrganizationKeys } from "@/lib/keys";

/**
 * Disables an organization (its members can change nothing and its keys are refused) or enables it again,
 * with its audit row in the same transaction; its keys are mirrored to Redis with the new status after
 * commit. Setting the state it already has changes nothing and writes no audit row.
 */
export async function setOrganizationDisabled(organizationId: string, disabled: boolean, actor: AdminActor) {
  return withTransaction(async (context) => {
    const [current] = await context.tx
      .select({ disabledAt: organizations.disabledAt })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for("update");
    if (!current) throw new AdminError("not_found", "That organization does not exist.");
    if ((current.disabledAt !== null) === disabled) return { changed: false, keys: 0 };
    await context.tx
      .update(organizations)
      .set({ disabledAt: disabled ? sql`now()` : null, updatedAt: sql`now()` })
      .where(eq(organizations.id, organizationId));
    const keys = await remirrorOrganizationKeys(context, organizationId, disabled);
    await writeAudit(
      {
        action: disabled ? "organization.disabled" : "organization.enabled",
        organizationId,
        targetType: "organization",
        targetId: organizationId,
        metadata: { keys },
        ...auditedBy(actor),
      },
      context.tx,
    );
    return { changed: true, keys };
  });
}
