import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { deductCredits, grantCredits } from "@/lib/credits";
import { hashPassword } from "@/lib/auth/password";
import { generateApiKey } from "@/lib/keys/format";
import { queryRows, type Database } from "./client";
import { apiKeys, organizations, users } from "./schema";
import { chunkPlan, planUsageDays, type PlannedDay } from "./seed-usage-plan";
import { chunkStatement, creditSumStatement, type ChunkDayRow } from "./seed-usage-sql";
import { withTransaction, type TransactionContext } from "./transaction";

/**
 * `npm run db:seed -- --usage N`: N usage events over the last 90 days in one organization, with what the
 * usage routes would have written alongside them, in one transaction. Ledger: one grant first, big enough
 * for every event plus about three weeks more at the last week's rate, then one usage row per UTC day
 * (not one per event), all through lib/credits, so balance = Σ ledger holds by construction.
 */

export const maxSeedEvents = 50_000_000;
export const defaultSeedChunk = 250_000;
export const usageDemoOrganizationName = "Usage demo";
export const usageDemoAdminEmail = "usage-demo@example.com";
const dayMs = 86_400_000;
const runwayDays = 21;

const seedKeys = [
  { name: "Production backend", scopes: ["query"] },
  { name: "Data pipeline", scopes: ["query"] },
  { name: "Staging", scopes: ["query", "public"] },
  { name: "Analyst notebook", scopes: ["query"] },
  // Revoked 35 days ago: its traffic moved to the production key.
  { name: "Legacy backend", scopes: ["query"], revokedDaysAgo: 35 },
];

/** The seed cannot run as asked (a bad target); the message says why. Nothing was written. */
export class SeedRefusedError extends Error {}

export type SeedUsageOptions = {
  events: number;
  /** Seed into this organization instead of the "Usage demo" one. */
  organizationId?: string;
  now?: Date;
  chunkSize?: number;
  onProgress?: (written: number, total: number) => void;
};

export type SeedUsageResult = {
  organizationId: string;
  organizationName: string;
  organizationCreated: boolean;
  /** A client admin of the organization, if it has one; the password only when this run created them. */
  admin: { userId: string; email: string; password?: string } | null;
  keyIds: string[];
  events: number;
  credits: number;
  granted: number;
  balance: number;
  ledgerRows: number;
};

async function findAdmin(context: TransactionContext, organizationId: string) {
  const [admin] = await context.tx
    .select({ userId: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.role, "client_admin")))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return admin ?? null;
}

/** The usage demo organization (created with its admin when missing), or the one asked for. */
async function chooseOrganization(context: TransactionContext, options: SeedUsageOptions, firstDayMs: number) {
  const { tx } = context;
  if (options.organizationId) {
    const [row] = await tx.select().from(organizations).where(eq(organizations.id, options.organizationId)).for("update");
    if (!row) throw new SeedRefusedError(`no organization has the id ${options.organizationId}`);
    return { organization: row, created: false, admin: await findAdmin(context, row.id) };
  }
  const [existing] = await tx.select().from(organizations).where(eq(organizations.name, usageDemoOrganizationName)).orderBy(asc(organizations.createdAt)).limit(1).for("update");
  if (existing) return { organization: existing, created: false, admin: await findAdmin(context, existing.id) };
  const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, usageDemoAdminEmail));
  if (taken) throw new SeedRefusedError(`${usageDemoAdminEmail} already exists outside a "${usageDemoOrganizationName}" organization; pass --org <id>`);
  // Created before its first event, so the forecast's rates cover the whole history.
  const createdAt = new Date(firstDayMs - dayMs);
  const [organization] = await tx.insert(organizations).values({ name: usageDemoOrganizationName, createdAt, updatedAt: createdAt }).returning();
  const password = randomBytes(12).toString("base64url");
  const [admin] = await tx
    .insert(users)
    .values({ email: usageDemoAdminEmail, name: "Usage Demo Admin", role: "client_admin", organizationId: organization!.id, passwordHash: await hashPassword(password), emailVerified: createdAt, createdAt })
    .returning({ userId: users.id, email: users.email });
  return { organization: organization!, created: true, admin: { ...admin!, password } };
}

async function insertKeys(context: TransactionContext, organizationId: string, createdByUserId: string | null, firstDayMs: number, now: Date) {
  const rows = seedKeys.map((key) => ({
    organizationId,
    createdByUserId,
    name: key.name,
    scopes: key.scopes,
    // The secret is thrown away: these keys only carry history and can never authenticate.
    ...(({ keyHash, start }) => ({ keyHash, start }))(generateApiKey()),
    createdAt: new Date(firstDayMs - dayMs),
    revokedAt: key.revokedDaysAgo ? new Date(now.getTime() - key.revokedDaysAgo * dayMs) : null,
  }));
  const inserted = await context.tx.insert(apiKeys).values(rows).returning({ id: apiKeys.id });
  return { keyIds: inserted.map((row) => row.id), revokedAt: rows.at(-1)!.revokedAt! };
}

/** Σ credits of every event and of the last 7 days', summed by Postgres in slices as large as the inserts. */
async function plannedCredits(context: TransactionContext, days: PlannedDay[], total: number, chunkSize: number) {
  const recentFrom = days[days.length - 7]!.firstIndex;
  let credits = 0;
  let recent = 0;
  for (let first = 0; first < total; first += chunkSize * 4) {
    const [row] = await queryRows<{ total: string; recent: string }>(context.tx, creditSumStatement(first, Math.min(total, first + chunkSize * 4) - 1, recentFrom));
    credits += Number(row!.total);
    recent += Number(row!.recent);
  }
  const recentDays = days.slice(-7).reduce((sum, day) => sum + day.spanMs, 0) / dayMs;
  return { credits, runway: Math.max(1_000, Math.round((recent / recentDays) * runwayDays)) };
}

export async function seedUsage(database: Database, options: SeedUsageOptions): Promise<SeedUsageResult> {
  const { events } = options;
  if (!Number.isSafeInteger(events) || events < 1 || events > maxSeedEvents) throw new RangeError(`events must be 1 to ${maxSeedEvents}`);
  const now = options.now ?? new Date();
  const chunkSize = options.chunkSize ?? defaultSeedChunk;
  const days = planUsageDays(events, now);
  const firstDayMs = days[0]!.startMs;
  return withTransaction(async (context) => {
    // Statements here run for seconds and the whole seed is one transaction: request-sized limits do not apply.
    await context.tx.execute(sql`set local statement_timeout = 0`);
    await context.tx.execute(sql`set local idle_in_transaction_session_timeout = 0`);
    await context.tx.execute(sql`set local work_mem = '64MB'`);
    const { organization, created, admin } = await chooseOrganization(context, options, firstDayMs);
    const [used] = await queryRows<{ count: string }>(context.tx, sql`select count(*) as count from (select 1 from usage_events where organization_id = ${organization.id} limit 1) e`);
    if (Number(used!.count) > 0) {
      // New events would fall among the old ones, whose balance_after would then no longer be the running balance.
      throw new SeedRefusedError(`the organization "${organization.name}" (${organization.id}) already has usage events; seed into one without: --org <id>`);
    }
    const { keyIds, revokedAt } = await insertKeys(context, organization.id, admin?.userId ?? null, firstDayMs, now);
    const runTag = randomBytes(3).toString("hex");
    const planned = await plannedCredits(context, days, events, chunkSize);
    const grant = await grantCredits({ organizationId: organization.id, credits: planned.credits + planned.runway, reason: "grant", reference: `seed-usage:${runTag}:grant`, metadata: { seeded: true, events } }, context);
    let balance = grant.balance;
    const perDay = new Map<string, { requests: number; credits: number }>();
    const lastUse = new Map<string, Date>();
    let written = 0;
    for (const segments of chunkPlan(days, chunkSize)) {
      const rows = await queryRows<ChunkDayRow>(context.tx, chunkStatement({ organizationId: organization.id, keyIds, revokedAt, runTag, balanceBefore: balance, segments }));
      for (const row of rows) {
        const day = perDay.get(row.day) ?? { requests: 0, credits: 0 };
        perDay.set(row.day, { requests: day.requests + row.requests, credits: day.credits + Number(row.credits) });
        const at = new Date(row.last_at);
        if (!(lastUse.get(row.api_key_id)! >= at)) lastUse.set(row.api_key_id, at);
        balance -= Number(row.credits);
        written += row.requests;
      }
      options.onProgress?.(written, events);
    }
    if (grant.balance - balance !== planned.credits) throw new Error("The seeded events' credits differ from the planned sum");
    for (const [day, usage] of [...perDay].sort(([a], [b]) => a.localeCompare(b))) {
      await deductCredits({ organizationId: organization.id, credits: usage.credits, reason: "usage", reference: `seed-usage:${runTag}:${day}`, metadata: { seeded: true, day, requests: usage.requests } }, context);
    }
    for (const [keyId, at] of lastUse) await context.tx.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, keyId));
    return {
      organizationId: organization.id,
      organizationName: organization.name,
      organizationCreated: created,
      admin,
      keyIds,
      events: written,
      credits: planned.credits,
      granted: planned.credits + planned.runway,
      balance,
      ledgerRows: 1 + perDay.size,
    };
  }, database);
}
