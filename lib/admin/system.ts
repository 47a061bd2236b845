import { desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { auditLog, emailOutbox } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { pendingMirrorWrites } from "@/lib/cache";
import { resyncMirror } from "@/lib/cache/resync";
import { lastMirrorSweepAt } from "@/lib/cache/sweep";
import { deliverSoon } from "@/lib/email/outbox";
import { checkReadiness } from "@/lib/health";
import { type AdminActor, auditedBy } from "./actor";

const resyncAction = "cache.resynced";

/**
 * The Redis mirror as this instance sees it: writes waiting in its queue and its last sweep, plus the last
 * resync run from the console (an audit row, so every instance shows the same one).
 */
export async function getMirrorState() {
  const [lastResync] = await db
    .select({ at: auditLog.createdAt, metadata: auditLog.metadata })
    .from(auditLog)
    .where(eq(auditLog.action, resyncAction))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return {
    queuedWrites: pendingMirrorWrites(),
    lastSweepAt: lastMirrorSweepAt(),
    lastResync: lastResync ? { at: lastResync.at, counts: lastResync.metadata as { keys?: number; balances?: number } | null } : null,
  };
}

/** Rewrites the whole mirror from Postgres now, then records it (nothing in Postgres changes, so after). */
export async function resyncMirrorNow(actor: AdminActor) {
  const counts = await resyncMirror();
  await writeAudit({ action: resyncAction, targetType: "redis", metadata: counts, ...auditedBy(actor) });
  return counts;
}

export async function getOutboxCounts() {
  const rows = await db
    .select({ status: emailOutbox.status, count: sql<number>`count(*)::int` })
    .from(emailOutbox)
    .where(sql`${emailOutbox.status} in ('pending', 'failed')`)
    .groupBy(emailOutbox.status);
  const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
  return { queued: count("pending"), failed: count("failed") };
}

/**
 * Puts every failed email back in the queue with a fresh set of attempts (the outbox marks a message failed
 * after its last one), with its audit row, then tries to deliver them at once.
 */
export async function retryFailedEmails(actor: AdminActor) {
  const retried = await withTransaction(async ({ tx }) => {
    const rows = await tx
      .update(emailOutbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()` })
      .where(eq(emailOutbox.status, "failed"))
      .returning({ id: emailOutbox.id });
    if (rows.length > 0) await writeAudit({ action: "email.retried", targetType: "email_outbox", metadata: { count: rows.length }, ...auditedBy(actor) }, tx);
    return rows.length;
  });
  if (retried > 0) deliverSoon();
  return retried;
}

export async function getHealth() {
  return (await checkReadiness()).body;
}
