import { eq } from "drizzle-orm";
import { webhookEvents } from "@/db/schema";
import { withTransaction, type TransactionContext } from "@/db/transaction";

/**
 * Applies one verified provider event exactly once: its id is recorded in the same transaction as its
 * effect, never before it, so a failure leaves nothing recorded and the provider's retry applies it. A
 * concurrent redelivery waits on the unique index and then finds it recorded.
 */
export async function processWebhookEvent(
  provider: "stripe" | "paypal",
  event: { id: string; type: string },
  handle: (context: TransactionContext) => Promise<string>,
): Promise<string> {
  return withTransaction(async (context) => {
    const [claimed] = await context.tx
      .insert(webhookEvents)
      .values({ provider, eventId: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (!claimed) return "duplicate: already processed";
    const outcome = await handle(context);
    await context.tx.update(webhookEvents).set({ outcome: outcome.slice(0, 500) }).where(eq(webhookEvents.id, claimed.id));
    return outcome;
  });
}
