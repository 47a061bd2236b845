import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { organizations, users } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { auditedBy, cliActor } from "@/lib/admin/actor";
import { adjustOrganizationCredits } from "@/lib/admin/credits";
import { hashPassword } from "@/lib/auth/password";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { createPersonalOrganization } from "@/lib/orgs";
import { UsageError } from "../script-runner";
import { asUsage, integer, parseFlags, required, uuid } from "./args";

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function email(value: string) {
  if (!emailPattern.test(value)) throw new UsageError(`not an email address: ${value}`);
  return value.toLowerCase();
}

export async function createAdmin(argv: string[]) {
  const flags = parseFlags(argv, ["email", "password", "name"]);
  const address = email(required(flags, "email"));
  const password = required(flags, "password");
  if (password.length < 12) throw new UsageError("--password must be at least 12 characters");
  const passwordHash = await hashPassword(password);
  const values = { role: "business_admin" as const, passwordHash, emailVerified: new Date(), ...(flags.name ? { name: flags.name } : {}) };
  const user = await withTransaction(async ({ tx }) => {
    const [row] = await tx
      .insert(users)
      .values({ email: address, ...values })
      .onConflictDoUpdate({ target: users.email, set: { ...values, updatedAt: new Date() } })
      .returning({ id: users.id, name: users.name, organizationId: users.organizationId });
    // Every signed-in user works inside an organization (lib/auth/viewer.ts): a new admin gets their own.
    if (!row!.organizationId) {
      const organization = await createPersonalOrganization(tx, { name: row!.name, email: address });
      await tx.update(users).set({ organizationId: organization.id }).where(eq(users.id, row!.id));
    }
    await writeAudit({ action: "user.promoted_business_admin", targetType: "user", targetId: row!.id, ...auditedBy(cliActor) }, tx);
    return row!;
  });
  console.log(`business admin ${address} (${user.id}) ready`);
}

export async function createOrganization(argv: string[]) {
  const flags = parseFlags(argv, ["name", "admin-email"]);
  const name = required(flags, "name");
  const adminEmail = flags["admin-email"] ? email(flags["admin-email"]) : undefined;
  const organization = await withTransaction(async ({ tx }) => {
    const [row] = await tx.insert(organizations).values({ name }).returning();
    if (adminEmail) {
      const [existing] = await tx.select().from(users).where(eq(users.email, adminEmail));
      if (existing?.organizationId) throw new UsageError(`${adminEmail} already belongs to an organization`);
      await tx
        .insert(users)
        .values({ email: adminEmail, role: "client_admin", organizationId: row!.id })
        .onConflictDoUpdate({ target: users.email, set: { role: "client_admin", organizationId: row!.id } });
    }
    await writeAudit({ action: "organization.created", organizationId: row!.id, targetType: "organization", targetId: row!.id, metadata: { adminEmail }, ...auditedBy(cliActor) }, tx);
    return row!;
  });
  if (adminEmail) {
    // The invitation is a link to choose a password: the same flow as a reset, valid for its lifetime.
    await requestPasswordReset(adminEmail, cliActor);
    console.log(`invited ${adminEmail} as client admin`);
  }
  console.log(organization.id);
}

export async function listOrganizations(argv: string[]) {
  parseFlags(argv, []);
  const rows = await db.select().from(organizations).orderBy(asc(organizations.createdAt));
  for (const row of rows) console.log(`${row.id}\t${row.name}\t${row.balance}`);
}

/** The admin console's adjustment, with the CLI as its actor: the ledger row, the balance and the audit row commit together. */
export async function grantCreditsCommand(argv: string[]) {
  const flags = parseFlags(argv, ["org", "credits", "reason"]);
  const organizationId = uuid(flags, "org");
  const delta = integer(flags, "credits");
  if (delta === 0) throw new UsageError("--credits must not be 0");
  const reason = required(flags, "reason");
  const result = await asUsage(adjustOrganizationCredits({ organizationId, delta, reason }, cliActor));
  console.log(result.balance);
}
