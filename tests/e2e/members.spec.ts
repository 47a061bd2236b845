import { eq } from "drizzle-orm";
import { expect, test, type Page } from "@playwright/test";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { mailboxLink, signUp, strongPassword, uniqueEmail } from "./support/accounts";
import { serviceTestKit } from "./support/service-api";

// Points this process's `db` at the running app's database, to check who belongs where.
test.beforeAll(async () => {
  await serviceTestKit();
});

async function memberRow(page: Page, email: string) {
  const row = page.getByTestId(`member-${email}`);
  await expect(row).toBeVisible();
  return row;
}

async function confirmInDialog(page: Page, button: string) {
  const dialog = page.getByRole("alertdialog");
  await dialog.getByRole("button", { name: button }).click();
}

test("a client admin invites a colleague, who joins as a member; the last admin cannot step down", async ({ browser, page }) => {
  const adminEmail = uniqueEmail("org-admin");
  const colleagueEmail = uniqueEmail("colleague");
  await signUp(page, adminEmail, strongPassword, "Ada Admin");

  // The admin sees the Organization page in the navigation and invites a colleague.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" }).click();
  await expect(page).toHaveURL(/\/org\/members$/);
  await expect(page).toHaveTitle(/Members/);
  await page.getByRole("textbox", { name: "Email" }).fill(colleagueEmail);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invited ${colleagueEmail}.`)).toBeVisible();
  await expect(page.getByTestId(`invitation-${colleagueEmail}`)).toBeVisible();

  // The colleague, in a browser of their own, accepts from the dev mailbox and signs up with the invited address.
  const colleague = await (await browser.newContext()).newPage();
  await colleague.goto(await mailboxLink(colleague, colleagueEmail, "invitation"));
  await expect(colleague.getByRole("heading", { name: /^Join / })).toBeVisible();
  await expect(colleague.getByLabel("Email")).toHaveValue(colleagueEmail);
  await colleague.getByLabel("Name").fill("Grace Colleague");
  await colleague.getByLabel("Password").fill(strongPassword);
  await colleague.getByRole("button", { name: "Create account and join" }).click();
  await expect(colleague).toHaveURL(/\/dashboard$/);
  // A member does not see the Organization page, and the server refuses it anyway.
  await expect(colleague.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organization" })).toHaveCount(0);
  // (The page streams behind its loading skeleton, so the refusal is the not-found page rather than a 404 status.)
  await colleague.goto("/org/members");
  await expect(colleague.getByText("Page not found")).toBeVisible();
  await expect(colleague.getByRole("button", { name: "Send invitation" })).toHaveCount(0);

  const [admin] = await db.select().from(users).where(eq(users.email, adminEmail));
  const [joined] = await db.select().from(users).where(eq(users.email, colleagueEmail));
  expect(joined).toMatchObject({ organizationId: admin!.organizationId, role: "user" });
  expect(joined!.emailVerified).not.toBeNull();

  // The admin promotes the colleague, then demotes them again (two admins, so that is allowed).
  await page.reload();
  await (await memberRow(page, colleagueEmail)).getByRole("button", { name: "Make admin: Grace Colleague" }).click();
  await expect(page.getByText("Grace Colleague is now an admin.")).toBeVisible();
  await (await memberRow(page, colleagueEmail)).getByRole("button", { name: "Make member: Grace Colleague" }).click();
  await confirmInDialog(page, "Make member");
  await expect(page.getByText("Grace Colleague is now a member.")).toBeVisible();

  // Now the admin is the last one: stepping down is refused, and they stay an admin.
  await (await memberRow(page, adminEmail)).getByRole("button", { name: "Make member: Ada Admin" }).click();
  await confirmInDialog(page, "Make member");
  await expect(page.getByText("An organization needs at least one client admin.", { exact: false })).toBeVisible();
  const [still] = await db.select({ role: users.role }).from(users).where(eq(users.id, admin!.id));
  expect(still!.role).toBe("client_admin");

  // The used link now says so.
  const used = await (await browser.newContext()).newPage();
  await used.goto(await mailboxLink(used, colleagueEmail, "invitation"));
  await expect(used.getByRole("heading", { name: "Invitation already accepted" })).toBeVisible();
});

test("the organization pages work at 375 px", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const email = uniqueEmail("org-narrow");
  await signUp(page, email);
  await page.goto("/org/settings");
  await expect(page.getByRole("heading", { name: "Organization settings" })).toBeVisible();
  await page.getByLabel("Threshold in credits").fill("250");
  await page.getByRole("button", { name: "Save" }).nth(1).click();
  await expect(page.getByText("Saved the low-credit threshold.")).toBeVisible();
  await page.goto("/org/members");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
