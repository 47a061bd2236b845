import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { expect, type Page, type Request } from "@playwright/test";
import { db } from "@/db/client";
import { creditLedger, creditPackages, payments, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { getBalance, grantCredits, sumLedger } from "@/lib/credits";
import { strongPassword } from "./accounts";

// Database reads and writes for the billing specs. Call serviceTestKit() first (in beforeAll), so that
// `db` reaches the running app's database.

export async function organizationIdOf(email: string) {
  const [user] = await db.select({ organizationId: users.organizationId }).from(users).where(eq(users.email, email));
  if (!user?.organizationId) throw new Error(`no organization for ${email}`);
  return user.organizationId;
}

export function paymentsOf(organizationId: string) {
  return db.select().from(payments).where(eq(payments.organizationId, organizationId)).orderBy(asc(payments.createdAt));
}

export function purchaseEntriesOf(organizationId: string) {
  return db
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.organizationId, organizationId), eq(creditLedger.reason, "purchase")))
    .orderBy(asc(creditLedger.id));
}

/** The invariant every billing test ends on: the stored balance is the sum of the ledger. */
export async function expectBalanceIsLedgerSum(...organizationIds: string[]) {
  for (const organizationId of organizationIds) {
    const [balance, sum] = await Promise.all([getBalance(organizationId), sumLedger(organizationId)]);
    expect(balance, `balance of ${organizationId}`).toBe(sum);
  }
}

/** A verified member with the plain `user` role in an existing organization, able to sign in with a password. */
export async function addMember(organizationId: string, email: string, password = strongPassword) {
  await db.insert(users).values({
    email,
    name: "Plain Member",
    role: "user",
    organizationId,
    emailVerified: new Date(),
    passwordHash: await hashPassword(password),
  });
}

/**
 * Completed Starter test payments with their purchase grants, written as the test provider writes them but
 * without its receipt emails (this process has no mail settings), to fill more than one page quickly.
 */
export async function seedStarterPurchases(organizationId: string, count: number) {
  const [pack] = await db.select().from(creditPackages).where(eq(creditPackages.name, "Starter"));
  if (!pack) throw new Error("the seed has no Starter package");
  for (let i = 0; i < count; i++) {
    const [payment] = await db
      .insert(payments)
      .values({
        organizationId,
        packageId: pack.id,
        packageName: pack.name,
        provider: "test",
        providerPaymentId: `test_${randomUUID()}`,
        status: "completed",
        credits: pack.credits,
        amountCents: pack.priceCents,
        currency: pack.currency,
        completedAt: new Date(),
      })
      .returning();
    await grantCredits({ organizationId, credits: pack.credits, reason: "purchase", reference: `payment:${payment!.id}` });
  }
}

export type CapturedAction = { url: string; actionId: string; contentType: string; body: string; origin: string };

/**
 * Runs `act` in the page and returns the server action request it sent (URL, `next-action` id, content type
 * and body as sent), so a test can send the very same request under another session.
 */
export async function captureServerAction(page: Page, act: () => Promise<unknown>): Promise<CapturedAction> {
  const sent: CapturedAction[] = [];
  const record = (request: Request) => {
    const headers = request.headers();
    if (request.method() !== "POST" || !headers["next-action"]) return;
    sent.push({
      url: request.url(),
      actionId: headers["next-action"],
      contentType: headers["content-type"] ?? "text/plain;charset=UTF-8",
      body: request.postData() ?? "",
      origin: headers.origin ?? new URL(request.url()).origin,
    });
  };
  page.on("request", record);
  try {
    await act();
    await expect.poll(() => sent.length, { message: "a server action request" }).toBeGreaterThan(0);
  } finally {
    page.off("request", record);
  }
  return sent[0]!;
}

/** Sends a captured server action again with `page`'s cookies; resolves with the response's RSC text. */
export async function replayServerAction(page: Page, action: CapturedAction) {
  const response = await page.request.post(action.url, {
    headers: { "next-action": action.actionId, "content-type": action.contentType, accept: "text/x-component", origin: action.origin },
    data: action.body,
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text() };
}

/** Counts the server action requests a page sends from now on (to prove a double click sent one). */
export function countServerActions(page: Page) {
  let count = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.headers()["next-action"]) count++;
  });
  return () => count;
}
