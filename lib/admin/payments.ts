import { and, desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { organizations, payments, type PaymentProvider, type PaymentStatus } from "@/db/schema";
import { exactTime, olderThan, pageOf, type TimeCursor } from "./cursor";

export type PaymentFilters = { provider?: PaymentProvider; status?: PaymentStatus; organizationId?: string };

/** Every organization's payments with their refunds and disputes, newest first, filtered, by keyset. */
export async function listAllPayments(filters: PaymentFilters, options: { after?: TimeCursor; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const rows = await db
    .select({ payment: payments, organizationName: organizations.name, exactCreatedAt: exactTime(payments.createdAt) })
    .from(payments)
    .innerJoin(organizations, eq(organizations.id, payments.organizationId))
    .where(
      and(
        filters.provider ? eq(payments.provider, filters.provider) : undefined,
        filters.status ? eq(payments.status, filters.status) : undefined,
        filters.organizationId ? eq(payments.organizationId, filters.organizationId) : undefined,
        olderThan(payments.createdAt, payments.id, options.after, "uuid"),
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
  return pageOf(rows, limit, (row) => ({ at: row.exactCreatedAt, id: row.payment.id }));
}
