/**
 * The billing page's two keyset cursors, `?payments=<cursor>` and `?ledger=<id>`. They are independent: paging
 * one table keeps the other where it was, and neither carries the one-off `?checkout=` notice along.
 */
export type BillingCursors = { payments?: string; ledger?: number };

export type SearchParamValue = string | string[] | undefined;

export function firstValue(value: SearchParamValue) {
  return Array.isArray(value) ? value[0] : value;
}

/** A ledger id (a positive bigint that fits a JS number), or undefined for anything else. */
export function parseLedgerCursor(value: SearchParamValue) {
  const text = firstValue(value);
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

export function billingHref(cursors: BillingCursors, hash: string) {
  const query = new URLSearchParams();
  if (cursors.payments) query.set("payments", cursors.payments);
  if (cursors.ledger) query.set("ledger", String(cursors.ledger));
  const search = query.toString();
  return `/billing${search ? `?${search}` : ""}#${hash}`;
}
