import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { onCreditsChanged, type CreditChange } from "@/lib/credits/hooks";
import { deliverSoon, enqueueEmail } from "@/lib/email";
import { lowCreditTemplate, zeroCreditTemplate } from "./templates";

type GateRow = { name: string; balance: string; threshold: string; emails: string[] | null };

/**
 * The gate: a conditional UPDATE that only one transaction can win, so concurrent deductions across the
 * threshold send exactly one alert. It re-checks the live balance, so a crossing already undone sends nothing.
 */
async function claimAlert(organizationId: string, column: "low_credit_alerted_at" | "zero_credit_alerted_at") {
  const condition = column === "low_credit_alerted_at" ? sql`balance < low_credit_threshold` : sql`balance = 0`;
  return db.transaction(async (tx) => {
    const [row] = await queryRows<GateRow>(tx, sql`
      update organizations set ${sql.identifier(column)} = now()
      where id = ${organizationId} and ${sql.identifier(column)} is null and ${condition}
      returning name, balance, low_credit_threshold as threshold,
        (select array_agg(email order by email) from users
         where organization_id = ${organizationId} and role = 'client_admin' and disabled_at is null
           and notify_low_credit) as emails`);
    if (!row) return false;
    const props = { organizationName: row.name, balance: Number(row.balance), threshold: Number(row.threshold) };
    const template = column === "low_credit_alerted_at" ? lowCreditTemplate : zeroCreditTemplate;
    for (const email of row.emails ?? []) await enqueueEmail(tx, email, template, props);
    return true;
  });
}

/** Re-arms the alerts once the balance is back above the threshold (and above zero). */
async function rearm(organizationId: string) {
  await db.execute(sql`
    update organizations set
      low_credit_alerted_at = case when balance > low_credit_threshold then null else low_credit_alerted_at end,
      zero_credit_alerted_at = case when balance > 0 then null else zero_credit_alerted_at end
    where id = ${organizationId} and (low_credit_alerted_at is not null or zero_credit_alerted_at is not null)`);
}

/** Decides from the change alone whether a query is needed; the usage hot path usually needs none. */
export async function handleCreditChange(change: CreditChange) {
  // Credits come back through purchases, grants and adjustments, which are rare: always re-check then.
  if (change.delta > 0) return rearm(change.organizationId);
  const threshold = change.lowCreditThreshold;
  let claimed = false;
  const crossed = change.previousBalance >= threshold && change.balance < threshold;
  if (crossed) claimed = await claimAlert(change.organizationId, "low_credit_alerted_at");
  if (change.balance === 0) claimed = (await claimAlert(change.organizationId, "zero_credit_alerted_at")) || claimed;
  if (claimed) deliverSoon();
}

export function registerLowCreditAlerts() {
  onCreditsChanged("low-credit-alerts", handleCreditChange);
}

/** For the portal banner: is the organization below its threshold right now? */
export function isLowOnCredits(organization: { balance: number; lowCreditThreshold: number }) {
  return organization.balance < organization.lowCreditThreshold;
}
