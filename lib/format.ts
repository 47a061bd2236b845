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
