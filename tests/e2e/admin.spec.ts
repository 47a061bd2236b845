import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, test, type Page } from "@playwright/test";
import { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import { db } from "@/db/client";
import { creditPackages, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { createUpstashStore, flushMirror, setCacheStore } from "@/lib/cache";
import { hashApiKey } from "@/lib/keys/format";
import { signIn, strongPassword, uniqueEmail } from "./support/accounts";
import { serviceTestKit } from "./support/service-api";

// The business admin console (issue 10): credit adjustment, unlock, disable, package edit, through the UI.

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
let redis: Redis;
let bossEmail: string;

test.beforeAll(async () => {
  kit = await serviceTestKit();
  const { stackEnv } = kit;
  // Keys made here through lib/ reach the stack's Redis, as the app's do.
  setCacheStore(
    createUpstashStore(
      new UpstashRedis({ url: stackEnv.UPSTASH_REDIS_REST_URL!, token: stackEnv.UPSTASH_REDIS_REST_TOKEN!, retry: false, automaticDeserialization: false, enableTelemetry: false }),
    ),
  );
  redis = new Redis("redis://127.0.0.1:6379");
  // The business admin, made directly in the database (as `admin:create` would, in an organization of their own).
  const { organization } = await kit.createOrganizationWithKey(0);
  bossEmail = uniqueEmail("boss");
  await db.insert(users).values({ email: bossEmail, name: "Boss", role: "business_admin", organizationId: organization.id, emailVerified: new Date(), passwordHash: await hashPassword(strongPassword) });
});

test.afterAll(() => {
  setCacheStore(undefined);
  redis?.disconnect();
});

async function signInAsBoss(page: Page) {
  await signIn(page, bossEmail);
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** An organization with a balance and a key, whose client admin can sign in with a password. */
async function customer(balance: number) {
  const created = await kit.createOrganizationWithKey(balance);
  await db.update(users).set({ passwordHash: await hashPassword(strongPassword), emailVerified: new Date() }).where(eq(users.id, created.admin.id));
  await flushMirror();
  return created;
}

test("a business admin adjusts credits with a reason and sees it in the ledger and the audit log", async ({ page }) => {
  const { organization } = await customer(100);
  await signInAsBoss(page);
  await page.goto("/admin/organizations");
  await page.getByLabel("Search by name or id").fill(organization.name);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: organization.name }).click();
  await expect(page.getByRole("heading", { name: organization.name })).toBeVisible();

  // Below zero is refused beside the field, and nothing changes.
  await page.getByLabel("Credits (+ or −)").fill("-101");
  await page.getByLabel("Reason").fill("Too much");
  await page.getByRole("button", { name: "Adjust credits" }).click();
  await expect(page.getByText("The balance is 100 credits; taking 101 would leave it below zero.").first()).toBeVisible();
  await expect(page.getByTestId("admin-org-balance")).toHaveText("100 credits");

  const reason = `Outage refund ${randomUUID().slice(0, 6)}`;
  await page.getByLabel("Credits (+ or −)").fill("-30");
  await page.getByLabel("Reason").fill(reason);
  await page.getByRole("button", { name: "Adjust credits" }).click();
  await expect(page.getByText("Credits adjusted. The balance is now 70.")).toBeVisible();
  await expect(page.getByTestId("admin-org-balance")).toHaveText("70 credits");
  await expect(page.getByTestId("admin-ledger-row").first()).toContainText(reason);
  await expect(page.getByTestId("admin-ledger-row").first()).toContainText("-30");

  await page.goto(`/admin/audit?action=credits.adjusted&organizationId=${organization.id}`);
  const row = page.getByTestId("admin-audit-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(bossEmail);
  await expect(row).toContainText(reason);
});

test("a business admin unlocks a locked user", async ({ page, browser }) => {
  const { admin } = await customer(10);
  await db.update(users).set({ failedLoginAttempts: 5, lockedUntil: new Date(Date.now() + 15 * 60_000) }).where(eq(users.id, admin.id));
  await signInAsBoss(page);
  await page.goto(`/admin/users?q=${encodeURIComponent(admin.email)}`);
  await expect(page.getByTestId("admin-user-row")).toContainText("Locked");
  await page.getByRole("button", { name: `Unlock ${admin.email}` }).click();
  await expect(page.getByText(`Unlocked ${admin.email}.`)).toBeVisible();
  await expect(page.getByTestId("admin-user-row")).toContainText("Active");

  const context = await browser.newContext();
  const theirs = await context.newPage();
  await signIn(theirs, admin.email);
  await expect(theirs).toHaveURL(/\/dashboard$/);
  await context.close();
});

test("a business admin disables a user: their open session ends and their key turns disabled in Redis", async ({ page, browser }) => {
  const { admin, key } = await customer(10);
  const keyEntry = `${kit.stackEnv.REDIS_PREFIX}key:${hashApiKey(key)}`;
  expect(await redis.hget(keyEntry, "status")).toBe("active");
  const context = await browser.newContext();
  const theirs = await context.newPage();
  await signIn(theirs, admin.email);
  await expect(theirs).toHaveURL(/\/dashboard$/);

  await signInAsBoss(page);
  await page.goto(`/admin/users?q=${encodeURIComponent(admin.email)}`);
  await page.getByRole("button", { name: `Disable ${admin.email}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable user" }).click();
  await expect(page.getByText(`Disabled ${admin.email}; 1 sessions ended.`)).toBeVisible();
  await expect(page.getByTestId("admin-user-row")).toContainText("Disabled");

  await theirs.goto("/keys");
  await expect(theirs).toHaveURL(/\/sign-in/);
  await expect.poll(() => redis.hget(keyEntry, "status")).toBe("disabled");
  await context.close();
});

test("a business admin creates and edits a credit package", async ({ page }) => {
  const name = `E2E pack ${randomUUID().slice(0, 6)}`;
  await signInAsBoss(page);
  await page.goto("/admin/packages");
  await page.getByRole("button", { name: "New package" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Credits").fill("5000");
  await dialog.getByLabel("Price in cents").fill("4500");
  await dialog.getByRole("button", { name: "Create package" }).click();
  await expect(page.getByText(`Created “${name}”.`)).toBeVisible();

  await page.getByRole("button", { name: `Edit ${name}` }).click();
  await dialog.getByLabel("Price in cents").fill("0");
  await dialog.getByRole("button", { name: "Save package" }).click();
  await expect(dialog.getByText("The price in cents must be at least 50.")).toBeVisible();
  await dialog.getByLabel("Price in cents").fill("3900");
  await dialog.getByLabel("Active (offered on the billing page)").uncheck();
  await dialog.getByRole("button", { name: "Save package" }).click();
  await expect(page.getByText(`Saved “${name}”.`)).toBeVisible();
  const row = page.getByTestId("admin-package-row").filter({ hasText: name });
  await expect(row).toContainText("$39.00");
  await expect(row).toContainText("Inactive");
  const [stored] = await db.select().from(creditPackages).where(eq(creditPackages.name, name));
  expect(stored).toMatchObject({ priceCents: 3900, credits: 5000, active: false });
});

test("the console answers not found to anyone but a business admin", async ({ page }) => {
  const { admin } = await customer(0);
  await signIn(page, admin.email);
  await expect(page).toHaveURL(/\/dashboard$/);
  const response = await page.goto("/admin/organizations");
  expect(page.url()).not.toContain("/admin/organizations");
  expect(response?.status()).toBeLessThan(500);
  expect((await page.request.get("/api/admin/audit/export")).status()).toBe(403);
});

test("the system, payments and audit pages load, and resync shows its counts", async ({ page }) => {
  await signInAsBoss(page);
  await page.goto("/admin/payments?status=completed&provider=nonsense&after=garbage");
  await expect(page.getByRole("heading", { name: "All payments" })).toBeVisible();
  await page.goto("/admin/audit?from=2024-02-31&before=99999999999999999999&actor=%00");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.goto("/admin/system");
  await expect(page.getByText("Database (Postgres)")).toBeVisible();
  await page.getByRole("button", { name: "Resync now" }).click();
  await expect(page.getByText(/^Resynced: wrote \d+ keys and \d+ balances\.$/)).toBeVisible();
  const exported = await page.request.get("/api/admin/audit/export?action=cache.resynced");
  expect(exported.headers()["content-type"]).toContain("text/csv");
  const lines = (await exported.text()).trim().split("\r\n");
  expect(lines[0]).toMatch(/^id,time_utc,action,actor_email/);
  expect(lines.slice(1).some((line) => line.includes(bossEmail))).toBe(true);
});
