import { and, asc, desc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { creditPackages, organizations, paymentReversals, payments } from "@/db/schema";
import { asPaymentId } from "./payment-rows";

export async function listActiveCreditPackages() {
  return db
    .select()
    .from(creditPackages)
    .where(eq(creditPackages.active, true))
    .orderBy(asc(creditPackages.sortOrder), asc(creditPackages.priceCents));
}

/**
 * A position in the newest-first payment list: the last row's creation time to the microsecond (Postgres's
 * precision; a millisecond cursor would skip rows that share its millisecond) and its id.
 */
export type PaymentCursor = { createdAt: string; id: string };

function encodePaymentCursor(cursor: PaymentCursor) {
  return `${cursor.createdAt}_${cursor.id}`;
}

export function decodePaymentCursor(value: string | undefined): PaymentCursor | undefined {
  const match = value ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f-]{36})$/.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!)) || !asPaymentId(match[2])) return undefined;
  return { createdAt: match[1]!, id: match[2]! };
}

const exactCreatedAt = sql<string>`to_char(${payments.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of an organization's payments, newest first, by keyset (never OFFSET). Returns the cursor of
 * the next page when there is one.
 */
export async function listPayments(organizationId: string, options: { limit?: number; after?: PaymentCursor } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 100);
  const after = options.after;
  const rows = await db
    .select({ payment: payments, exactCreatedAt })
    .from(payments)
    .where(
      and(
        eq(payments.organizationId, organizationId),
        after ? sql`(${payments.createdAt}, ${payments.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    payments: page.map((row) => row.payment),
    next: rows.length > limit && last ? encodePaymentCursor({ createdAt: last.exactCreatedAt, id: last.payment.id }) : undefined,
  };
}

/** A payment with its organization and reversals, for its receipt page; scoped to an organization unless null. */
export async function getPaymentDetails(rawPaymentId: string, organizationId: string | null) {
  const paymentId = asPaymentId(rawPaymentId);
  if (!paymentId) return null;
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
