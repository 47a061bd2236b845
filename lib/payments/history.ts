import { and, asc, desc, eq, lt, or } from "drizzle-orm";
import { db } from "@/db/client";
import { creditPackages, organizations, paymentReversals, payments } from "@/db/schema";

export async function listActiveCreditPackages() {
  return db
    .select()
    .from(creditPackages)
    .where(eq(creditPackages.active, true))
    .orderBy(asc(creditPackages.sortOrder), asc(creditPackages.priceCents));
}

/** A position in the newest-first payment list: the last row's creation time and id, as one URL-safe string. */
export type PaymentCursor = { createdAt: Date; id: string };

export function encodePaymentCursor(cursor: PaymentCursor) {
  return `${cursor.createdAt.toISOString()}_${cursor.id}`;
}

export function decodePaymentCursor(value: string | undefined): PaymentCursor | undefined {
  const match = value ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/.exec(value) : null;
  if (!match) return undefined;
  const createdAt = new Date(match[1]!);
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id: match[2]! };
}

/**
 * One page of an organization's payments, newest first, by keyset (never OFFSET). Returns the cursor of
 * the next page when there is one.
 */
export async function listPayments(organizationId: string, options: { limit?: number; after?: PaymentCursor } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const after = options.after;
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.organizationId, organizationId),
        after
          ? or(lt(payments.createdAt, after.createdAt), and(eq(payments.createdAt, after.createdAt), lt(payments.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { payments: page, next: rows.length > limit && last ? encodePaymentCursor(last) : undefined };
}

/** A payment with its organization and reversals, for its receipt page; scoped to an organization unless null. */
export async function getPaymentDetails(paymentId: string, organizationId: string | null) {
  const [row] = await db
    .select({ payment: payments, organizationName: organizations.name })
    .from(payments)
    .innerJoin(organizations, eq(organizations.id, payments.organizationId))
    .where(and(eq(payments.id, paymentId), organizationId ? eq(payments.organizationId, organizationId) : undefined));
  if (!row) return null;
  const reversals = await db
    .select()
    .from(paymentReversals)
    .where(eq(paymentReversals.paymentId, paymentId))
    .orderBy(asc(paymentReversals.createdAt));
  return { ...row, reversals };
}
