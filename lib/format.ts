import type { LedgerEntry } from "@/db/schema";

// Shared display formats, so every page shows numbers, money and times the same way.
const credits = new Intl.NumberFormat("en-US");
const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatCredits(value: number) {
  return credits.format(value);
}

/** Times are shown in UTC and labelled so, the zone the usage API and the CSV exports use. */
export function formatDateTime(value: Date) {
  return dateTime.format(value);
}

export function formatMoney(cents: number, currency: string) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
}

/** A UTC time to the second, `2026-03-02 12:00:05`: compact enough for dense tables of events. */
export function formatUtcSeconds(value: Date) {
  return value.toISOString().slice(0, 19).replace("T", " ");
}

/** A count of things (requests, rows), grouped like credits. */
export function formatCount(value: number) {
  return credits.format(value);
}

const date = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const rate = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const shortDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** A calendar date in UTC ("Nov 28, 2026"), as the dates beside UTC times elsewhere in the portal. */
export function formatDate(value: Date) {
  return date.format(value);
}

/** A rate such as credits per day: whole numbers as they are, others to one decimal. */
export function formatRate(value: number) {
  return rate.format(value);
}

/** A UTC day as the rollups store it (`YYYY-MM-DD`), short for chart axes ("Nov 28"). */
export function formatUtcDay(day: string) {
  return shortDay.format(new Date(`${day}T00:00:00Z`));
}

const minus = "\u2212";

/**
 * Credits as a movement reads, with the sign always shown: "+1,000" for credits in, "−5" for credits out
 * (a real minus sign, as wide as the plus, so columns of figures line up).
 */
export function formatSignedCredits(delta: number) {
  if (delta === 0) return "0";
  return `${delta > 0 ? "+" : minus}${credits.format(Math.abs(delta))}`;
}

/** A time left, to the minute: "3 h 12 min", "45 min", "less than a minute". */
export function formatTimeLeft(milliseconds: number) {
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes < 1) return "less than a minute";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const timeOfDay = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** "14:05 UTC" when `value` falls on the same UTC day as `now`, else the full date and time. */
export function formatTimeOrDateTime(value: Date, now: Date) {
  const sameDay = value.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return `${sameDay ? timeOfDay.format(value) : formatDateTime(value)} UTC`;
}

type LedgerEntryDescription = Pick<LedgerEntry, "reason" | "delta" | "metadata">;

/**
 * The words a customer reads for a credit movement, in one place for every page that lists them. The
 * reason codes are db/schema/credit-ledger.ts's; the metadata tells a test purchase from a paid one and a
 * dispute's return from a refund (lib/payments).
 */
export function describeLedgerEntry({ reason, delta, metadata }: LedgerEntryDescription) {
  switch (reason) {
    case "purchase":
      return metadata?.provider === "test" ? "Test purchase" : "Purchase";
    case "refund":
      // A reversal row carries the payment's totals so far; a dispute alone holds the money, a refund returns it.
      if (delta > 0) return "Credits returned";
      return Number(metadata?.disputedCents ?? 0) > 0 && !Number(metadata?.refundedCents ?? 0) ? "Payment disputed" : "Refund";
    case "usage":
      return "API usage";
    case "adjustment":
      return "Adjustment";
    case "grant":
      return "Credit grant";
  }
}
