import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { createApiKey } from "@/lib/keys";
import { createTestOrganization } from "../tests/helpers/organizations";

/**
 * The bench's tenants: organizations with keys, funded through the ledger so that balance = Σ ledger holds
 * from the start. The opening balance is far beyond what a few minutes of load can spend, so no request
 * fails for want of credits and every route does its full work.
 */

export const organizationCount = 10;
export const keysPerOrganization = 10;
const openingCredits = 1_000_000_000;

export type Fixtures = { keys: string[]; organizationIds: string[] };

export async function createFixtures(): Promise<Fixtures> {
  const keys: string[] = [];
  const organizationIds: string[] = [];
  for (let index = 0; index < organizationCount; index++) {
    const organization = await createTestOrganization(openingCredits, `Bench org ${index + 1}`);
    organizationIds.push(organization.id);
    for (let keyIndex = 0; keyIndex < keysPerOrganization; keyIndex++) {
      const { key } = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: `bench ${keyIndex + 1}`, scopes: ["query"] });
      keys.push(key);
    }
  }
  // pgbench can only draw numbers: this table maps 1..n to the keys' hashes for its script.
  await db.execute(sql`create table bench_keys as select row_number() over (order by id) as n, key_hash from api_keys`);
  await db.execute(sql`alter table bench_keys add primary key (n)`);
  return { keys, organizationIds };
}

export type LedgerCheck = { organizationId: string; balance: number; ledger: number };

/** balance = Σ ledger for every organization, read in one snapshot. */
export async function checkLedger(): Promise<{ ok: boolean; rows: LedgerCheck[] }> {
  const rows = await queryRows<{ id: string; balance: string; ledger: string }>(db, sql`
    select o.id, o.balance, coalesce(sum(l.delta), 0) as ledger
    from organizations o left join credit_ledger l on l.organization_id = o.id
    group by o.id order by o.created_at`);
  const checked = rows.map((row) => ({ organizationId: row.id, balance: Number(row.balance), ledger: Number(row.ledger) }));
  return { ok: checked.every((row) => row.balance === row.ledger && row.balance >= 0), rows: checked };
}
