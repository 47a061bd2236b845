import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { db } from "@/db/client";
import { organizations, users } from "@/db/schema";
import { mailboxLink, signIn, signUp, strongPassword, uniqueEmail } from "./support/accounts";
import { serviceHeaders, serviceTestKit } from "./support/service-api";

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
test.beforeAll(async () => {
  kit = await serviceTestKit();
});

// The copy button writes to the real clipboard; the test reads it back.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

async function verifyEmail(page: Page, email: string) {
  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();
}

/** A fresh account starts at zero credits, and verify refuses keys of an empty organization. */
async function grantCreditsTo(email: string, credits: number) {
  const [user] = await db.select({ organizationId: users.organizationId }).from(users).where(eq(users.email, email));
  if (!user?.organizationId) throw new Error(`no organization for ${email}`);
  await kit.credits.grantCredits({ organizationId: user.organizationId, credits });
}

async function verifyKey(request: APIRequestContext, apiKey: string) {
  const response = await request.post("/api/keys/verify", { headers: serviceHeaders(), data: { apiKey } });
  expect(response.status()).toBe(200);
  return response.json();
}

/** Fills the create dialog and returns the key it shows once, leaving the dialog open. */
async function createKey(page: Page, name: string, scopes: string[], rateLimit?: number) {
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  for (const scope of scopes) await dialog.getByRole("checkbox", { name: scope }).check();
  if (rateLimit !== undefined) await dialog.getByLabel("Rate limit per minute (optional)").fill(String(rateLimit));
  await dialog.getByRole("button", { name: "Create key" }).click();
  const field = dialog.getByLabel("API key");
  await expect(field).toHaveValue(/^dz_live_\w{32,}$/);
  await expect(dialog.getByText("This is the only time the key is shown.")).toBeVisible();
  return field.inputValue();
}

async function signUpVerified(page: Page, label: string, credits: number) {
  const email = uniqueEmail(label);
  await signUp(page, email);
  await verifyEmail(page, email);
  await grantCreditsTo(email, credits);
  await page.goto("/keys");
  return email;
}

test("create a key, copy it once, verify it, then revoke it", async ({ page, request }) => {
  const email = uniqueEmail("keys");
  await signUp(page, email);
  await verifyEmail(page, email);
  await page.goto("/keys");
  // A new organization is at zero by definition: no alarm before it has done anything (dashboard.spec.ts
  // checks the banner once the organization is running).
  await expect(page.getByRole("region", { name: "Credit balance" })).toHaveCount(0);
  await expect(page.getByText("No API keys yet")).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Expires (optional)").fill("2020-01-01T10:00");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Enter a name.")).toBeVisible();
  await expect(dialog.getByText("Choose at least one scope.")).toBeVisible();
  await expect(dialog.getByText("Choose a time in the future.")).toBeVisible();
  await page.keyboard.press("Escape");

  await grantCreditsTo(email, 50);
  await page.reload();
  await expect(page.getByRole("region", { name: "Credit balance" })).toHaveCount(0);

  const key = await createKey(page, "Production", ["query"], 600);
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // Shown once: opening the dialog again starts a new form, not the old key.
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("dialog").getByLabel("API key")).toHaveCount(0);
  await page.keyboard.press("Escape");

  const row = page.getByRole("row", { name: /Production/ });
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("Test User");
  await expect(row).toContainText("Active");
  const valid = await verifyKey(request, key);
  expect(valid).toMatchObject({ valid: true, scopes: ["query"], remainingCredits: 50, expiresAt: null, rateLimit: { limit: 600 } });

  await row.getByRole("button", { name: "Revoke Production" }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("This cannot be undone; requests using this key will fail immediately.");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke Production" })).toHaveCount(0);
  // Not a disabled Roll either: a revoked key has no actions at all.
  await expect(row.getByRole("button")).toHaveCount(0);
  expect(await verifyKey(request, key)).toEqual({ valid: false, code: "REVOKED" });
});

test("rolling a key: the old and the new key both work during the grace period", async ({ page, request }) => {
  await signUpVerified(page, "roll", 1000);
  await expect(page.getByRole("region", { name: "Credit balance" })).toHaveCount(0);
  const oldKey = await createKey(page, "Rolling", ["query", "public"]);
  await page.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row", { name: /Rolling/ }).first();
  await row.getByRole("button", { name: "Roll Rolling" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Grace period/).fill("25");
  await dialog.getByRole("button", { name: "Roll key" }).click();
  await expect(dialog.getByText("Use at most 24 hours.")).toBeVisible();
  await dialog.getByLabel(/Grace period/).fill("2");
  await dialog.getByRole("button", { name: "Roll key" }).click();
  const field = dialog.getByLabel("API key");
  await expect(field).toHaveValue(/^dz_live_/);
  const newKey = await field.inputValue();
  expect(newKey).not.toBe(oldKey);
  await dialog.getByRole("button", { name: "Done" }).click();

  await expect(page.getByText("Expiring (grace)")).toBeVisible();
  await expect(page.getByRole("row", { name: /Rolling/ })).toHaveCount(2);
  // The two rows name each other by prefix, and the old one counts down its grace period.
  const [successor, rolled] = [page.getByTestId("api-key-row").nth(0), page.getByTestId("api-key-row").nth(1)];
  await expect(successor).toContainText(`Rolled from ${oldKey.slice(0, 12)}…`);
  await expect(rolled).toContainText(`Replaced by ${newKey.slice(0, 12)}…`);
  await expect(rolled.getByTestId("grace-countdown")).toHaveText(/^Works until .+ UTC, 1 h (59|58) min left$/);
  await expect(successor.getByTestId("grace-countdown")).toHaveCount(0);
  // The rolled key can still be revoked, but not rolled again, and its Revoke sits where the successor's does.
  await expect(rolled.getByRole("button", { name: "Roll Rolling" })).toHaveCount(0);
  const revokeBoxes = await Promise.all([successor, rolled].map((row) => row.getByRole("button", { name: "Revoke Rolling" }).boundingBox()));
  expect(revokeBoxes[0]!.x).toBeCloseTo(revokeBoxes[1]!.x, 0);
  const before = await verifyKey(request, oldKey);
  const after = await verifyKey(request, newKey);
  expect(before).toMatchObject({ valid: true, scopes: ["query", "public"] });
  expect(after).toMatchObject({ valid: true, scopes: ["query", "public"], expiresAt: null });
  expect(after.keyId).not.toBe(before.keyId);
  const graceEnd = Date.parse(before.expiresAt);
  expect(graceEnd).toBeGreaterThan(Date.now() + 115 * 60_000);
  expect(graceEnd).toBeLessThanOrEqual(Date.now() + 120 * 60_000);
});

test("an unverified user is told why and cannot create a key", async ({ page }) => {
  await signUp(page, uniqueEmail("keys-unverified"));
  await page.goto("/keys");
  await expect(page.getByText("You cannot create or roll keys until you verify your email address")).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Too early");
  await dialog.getByRole("checkbox", { name: "query" }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Verify your email address first. Check your inbox or resend the link from the banner.");
  await expect(dialog.getByLabel("API key")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByText("No API keys yet")).toBeVisible();
});

test("a name with a character Postgres cannot store, or an expiry years away, is a field error", async ({ page }) => {
  await signUpVerified(page, "keys-input", 100);
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("bad\u0000name");
  await dialog.getByRole("checkbox", { name: "query" }).check();
  await dialog.getByLabel("Expires (optional)").fill("9999-12-31T23:59");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Remove the unsupported character (a control character or half of an emoji).")).toBeVisible();
  await expect(dialog.getByText("Choose a time within 10 years.")).toBeVisible();
  await expect(dialog.getByText(/Something went wrong/)).toHaveCount(0);
  await expect(dialog.getByLabel("API key")).toHaveCount(0);

  await dialog.getByLabel("Name").fill("Fixed name");
  await dialog.getByLabel("Expires (optional)").fill("");
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByLabel("API key")).toHaveValue(/^dz_live_/);
});

/** The signed-in user's organization, changed directly in the database as an operator would. */
async function updateOwnOrganization(email: string, values: Partial<typeof organizations.$inferInsert>) {
  const [user] = await db.select({ organizationId: users.organizationId }).from(users).where(eq(users.email, email));
  await db.update(organizations).set(values).where(eq(organizations.id, user!.organizationId!));
  return user!.organizationId!;
}

test("a disabled organization cannot create keys, and says why", async ({ page }) => {
  const email = await signUpVerified(page, "keys-disabled", 100);
  await updateOwnOrganization(email, { disabledAt: new Date() });
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Not now");
  await dialog.getByRole("checkbox", { name: "query" }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("This organization is disabled, so nothing in it can be changed. Contact support to enable it again.");
  await expect(dialog.getByLabel("API key")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByText("No API keys yet")).toBeVisible();
});

test("a member cannot roll an admin's key to get scopes their admins do not let members grant", async ({ page, request }) => {
  const adminEmail = await signUpVerified(page, "keys-admin", 1000);
  const organizationId = await updateOwnOrganization(adminEmail, { memberKeyScopes: ["query"] });
  const adminKey = await createKey(page, "Admin wide", ["query", "public"]);
  await page.getByRole("button", { name: "Done" }).click();

  const memberEmail = uniqueEmail("keys-member");
  await db.insert(users).values({
    email: memberEmail,
    name: "Member",
    role: "user",
    organizationId,
    emailVerified: new Date(),
    passwordHash: await bcrypt.hash(strongPassword, 4),
  });
  await page.context().clearCookies();
  await signIn(page, memberEmail);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/keys");

  await page.getByRole("row", { name: /Admin wide/ }).getByRole("button", { name: "Roll Admin wide" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Roll key" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    "You cannot roll this key: it grants public, which your organization's admins do not let members grant. Ask an admin to roll it.",
  );
  await expect(dialog.getByLabel("API key")).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("row", { name: /Admin wide/ })).toHaveCount(1);
  expect(await verifyKey(request, adminKey)).toMatchObject({ valid: true, scopes: ["query", "public"], expiresAt: null });

  // A key whose scopes the member may grant, the member may roll.
  const memberKey = await createKey(page, "Member narrow", ["query"]);
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("row", { name: /Member narrow/ }).getByRole("button", { name: "Roll Member narrow" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Roll key" }).click();
  await expect(page.getByRole("dialog").getByLabel("API key")).toHaveValue(/^dz_live_/);
  expect(await verifyKey(request, memberKey)).toMatchObject({ valid: true, scopes: ["query"] });
});

/** Every cell and button of the keys table against the box the table scrolls in: what sticks out is clipped. */
async function clippedCells(page: Page) {
  return page.getByTestId("api-key-row").first().evaluate((row) => {
    const scroller = row.closest("[data-slot=table-scroll]")!;
    const edge = scroller.getBoundingClientRect().right;
    const table = row.closest("table")!;
    return [...table.querySelectorAll("th, td, button")]
      .filter((cell) => cell.getBoundingClientRect().right > edge + 0.5)
      .map((cell) => cell.textContent?.trim() || cell.tagName);
  });
}

test("the keys table fits its card at 1280 px, and scrolls inside it with a hint at 375 px", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUpVerified(page, "keys-layout", 1000);
  await createKey(page, "Production server with a longer name", ["query", "public"], 600);
  await page.getByRole("button", { name: "Done" }).click();
  const row = page.getByRole("row", { name: /Production server/ }).first();
  await row.getByRole("button", { name: /^Roll / }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Roll key" }).click();
  await expect(page.getByRole("dialog").getByLabel("API key")).toHaveValue(/^dz_live_/);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("api-key-row")).toHaveCount(2);

  expect(await clippedCells(page)).toEqual([]);
  const scroller = page.locator("[data-slot=table-scroll]");
  expect(await scroller.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  await expect(page.getByTestId("table-scroll-hint")).toHaveCount(0);
  // Closing a dialog gives focus back to its button; the table must not scroll to reach it.
  const revokeTrigger = page.getByRole("button", { name: "Revoke Production server with a longer name" }).first();
  await revokeTrigger.click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  // The dialog gives focus back once it has closed; at 375 px that focus would scroll the table to its end.
  await expect(revokeTrigger).toBeFocused();
  expect(await scroller.evaluate((element) => element.scrollLeft)).toBe(0);

  await page.setViewportSize({ width: 375, height: 800 });
  const hint = page.getByTestId("table-scroll-hint");
  await expect(hint).toBeVisible();
  await expect(hint).toHaveText("Scroll sideways for more columns");
  const status = page.getByTestId("api-key-row").first().getByText("Active");
  await expect(status).not.toBeInViewport();
  await status.scrollIntoViewIfNeeded();
  await expect(status).toBeInViewport();
  const revoke = page.getByTestId("api-key-row").first().getByRole("button", { name: /^Revoke / });
  await revoke.scrollIntoViewIfNeeded();
  await expect(revoke).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  // At the far end nothing more is hidden, so the hint goes.
  await scroller.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
  await expect(hint).toHaveCount(0);
  await revoke.click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
});
