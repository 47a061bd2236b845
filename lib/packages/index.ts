import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { creditPackages, type CreditPackage } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { type AdminActor, auditedBy } from "@/lib/admin/actor";
import { AdminError } from "@/lib/admin/errors";
import { writeAudit } from "@/lib/audit";
import { packageFieldsSchema, type PackageFields } from "./schemas";

/** Every package, active ones first, in the order the billing page shows them. */
export async function listAllPackages() {
  return db.select().from(creditPackages).orderBy(asc(creditPackages.active), asc(creditPackages.sortOrder), asc(creditPackages.priceCents));
}

function checked(fields: PackageFields) {
  const parsed = packageFieldsSchema.safeParse(fields);
  if (!parsed.success) throw new AdminError("invalid", parsed.error.issues[0]!.message);
  return parsed.data;
}

export async function createPackage(fields: PackageFields, actor: AdminActor) {
  const values = checked(fields);
  return withTransaction(async ({ tx }) => {
    const [created] = await tx.insert(creditPackages).values(values).returning();
    await writeAudit({ action: "package.created", targetType: "credit_package", targetId: created!.id, metadata: { ...values }, ...auditedBy(actor) }, tx);
    return created!;
  });
}

/** The fields that differ, as [before, after], for the audit row. */
function changesOf(before: CreditPackage, after: PackageFields) {
  return Object.fromEntries(
    (Object.keys(after) as Array<keyof PackageFields>).flatMap((field) => (before[field] === after[field] ? [] : [[field, [before[field], after[field]]]])),
  );
}

/**
 * Edits a package (deactivating is `active: false`). Payments copy their package's name, credits, price and
 * currency when they start, so no change here reaches a payment already made.
 */
export async function updatePackage(packageId: string, fields: PackageFields, actor: AdminActor) {
  const values = checked(fields);
  return withTransaction(async ({ tx }) => {
    const [before] = await tx.select().from(creditPackages).where(eq(creditPackages.id, packageId)).for("update");
    if (!before) throw new AdminError("not_found", "That package does not exist.");
    const changes = changesOf(before, values);
    if (Object.keys(changes).length === 0) return before;
    const [updated] = await tx.update(creditPackages).set(values).where(eq(creditPackages.id, packageId)).returning();
    const action = before.active && !values.active ? "package.deactivated" : "package.updated";
    await writeAudit({ action, targetType: "credit_package", targetId: packageId, metadata: { name: updated!.name, changes }, ...auditedBy(actor) }, tx);
    return updated!;
  });
}
