import { withTransaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { adjustCredits, InsufficientCreditsError, OrganizationNotFoundError } from "@/lib/credits";
import { formatCredits } from "@/lib/format";
import { type AdminActor, auditedBy } from "./actor";
import { AdminError } from "./errors";
import { adjustCreditsSchema } from "./schemas";

/**
 * An operator's credit adjustment: the ledger row, the balance and the audit row in one transaction, never
 * below zero (then nothing changes and the error says what the balance is). The Redis mirror and the
 * low-credit alerts follow after commit, as for every credit movement.
 */
export async function adjustOrganizationCredits(input: { organizationId: string; delta: number; reason: string }, actor: AdminActor) {
  const parsed = adjustCreditsSchema.safeParse(input);
  if (!parsed.success) throw new AdminError("invalid", parsed.error.issues[0]!.message);
  const { organizationId, delta, reason } = parsed.data;
  try {
    return await withTransaction(async (context) => {
      const result = await adjustCredits(
        { organizationId, delta, note: reason, actorUserId: actor.userId ?? undefined, metadata: { source: actor.userId ? "admin" : "cli" } },
        context,
      );
      // No reference, so the movement is always applied (never a duplicate).
      if (result.status !== "applied") throw new Error("An adjustment without a reference was treated as a duplicate");
      await writeAudit(
        {
          action: "credits.adjusted",
          organizationId,
          targetType: "organization",
          targetId: organizationId,
          metadata: { delta, reason, balance: result.balance, ledgerEntryId: result.entryId },
          ...auditedBy(actor),
        },
        context.tx,
      );
      return { balance: result.balance, entryId: result.entryId };
    });
  } catch (error) {
    if (error instanceof InsufficientCreditsError) {
      throw new AdminError(
        "insufficient_credits",
        `The balance is ${formatCredits(error.balance)} credits; taking ${formatCredits(-delta)} would leave it below zero.`,
      );
    }
    if (error instanceof OrganizationNotFoundError) throw new AdminError("not_found", "That organization does not exist.");
    throw error;
  }
}
