import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { emailOutbox, type OutboxEmail } from "@/db/schema";
import { env } from "@/lib/env";
import { configuredSender, describeSendError, type EmailSender } from "./sender";
import type { EmailTemplate } from "./templates/define";

/** After this many failed attempts (about two days of backoff) a message is marked failed for a human to look at. */
export const maxAttempts = 12;
const baseDelaySeconds = 30;
const maxDelaySeconds = 6 * 60 * 60;
// A claimed row is leased for this long, so a crashed sender's rows become due again.
const leaseSeconds = 120;

export function backoffSeconds(attempts: number) {
  return Math.min(maxDelaySeconds, baseDelaySeconds * 2 ** Math.max(0, attempts - 1));
}

/** Writes the message to the outbox in the caller's transaction; deliver it after commit with `deliverDueEmails`. */
export async function enqueueEmail<Props>(executor: Executor, to: string, template: EmailTemplate<Props>, props: Props) {
  const rendered = template.render(props);
  const [row] = await executor
    .insert(emailOutbox)
    .values({ toAddress: to, template: template.name, ...rendered })
    .returning({ id: emailOutbox.id });
  if (!configuredSender()) console.info(describeUnsentEmail({ id: row!.id, to, template: template.name, ...rendered }));
  return row!.id;
}

/**
 * The log line for a message queued while SendGrid is not configured. In development the log is where a
 * developer reads the mail (besides /dev/mailbox), links included. In production the text carries reset
 * and verification links, and whoever reads the logs could use them: only the template, the outbox id and
 * the recipient's domain are logged.
 */
function describeUnsentEmail(message: { id: string; to: string; template: string; subject: string; text: string }) {
  if (env().NODE_ENV === "production") {
    const domain = message.to.slice(message.to.lastIndexOf("@") + 1);
    return `[email] SendGrid not configured; queued ${message.template} email ${message.id} to a recipient at ${domain}`;
  }
  return `[email] SendGrid not configured; queued "${message.subject}" to ${message.to}:\n${message.text}`;
}

async function claimDueEmails(limit: number): Promise<OutboxEmail[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: emailOutbox.id })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(emailOutbox.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(emailOutbox)
      .set({ nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(inArray(emailOutbox.id, due.map((row) => row.id)))
      .returning();
  });
}

export type DeliveryReport = { sent: number; failed: number; skipped: boolean };

/**
 * Sends every due outbox message once. A failure schedules the next attempt with exponential backoff,
 * so an outage delays mail and loses none. Safe to run concurrently: rows are claimed with SKIP LOCKED.
 */
export async function deliverDueEmails(options: { sender?: EmailSender; limit?: number } = {}): Promise<DeliveryReport> {
  const sender = options.sender ?? configuredSender();
  if (!sender) return { sent: 0, failed: 0, skipped: true };
  const rows = await claimDueEmails(options.limit ?? 50);
  let sent = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      await sender(row);
      await db.update(emailOutbox).set({ status: "sent", sentAt: new Date(), attempts: row.attempts + 1, lastError: null }).where(eq(emailOutbox.id, row.id));
      sent += 1;
    } catch (error) {
      failed += 1;
      const attempts = row.attempts + 1;
      const message = describeSendError(error);
      console.warn(`[email] sending ${row.id} failed (attempt ${attempts}): ${message}`);
      await db
        .update(emailOutbox)
        .set({
          attempts,
          lastError: message,
          status: attempts >= maxAttempts ? "failed" : "pending",
          nextAttemptAt: sql`now() + make_interval(secs => ${backoffSeconds(attempts)})`,
        })
        .where(eq(emailOutbox.id, row.id));
    }
  }
  return { sent, failed, skipped: false };
}

/** Fire-and-forget delivery right after a commit; the periodic loop catches anything this misses. */
export function deliverSoon() {
  void deliverDueEmails().catch((error) => console.error("[email] delivery run failed:", error));
}
