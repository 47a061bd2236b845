import { expect, test, type Page } from "@playwright/test";
import { signIn, signUp, strongPassword, uniqueEmail } from "./support/accounts";

const settingsNav = (page: Page) => page.getByRole("navigation", { name: "Settings" });

test("the active settings tab is marked, styled and reachable by keyboard, and the tabs fit at 375 px", async ({ page }) => {
  await signUp(page, uniqueEmail("tabs"));
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/settings\/profile$/);
  const profileTab = settingsNav(page).getByRole("link", { name: "Profile" });
  const securityTab = settingsNav(page).getByRole("link", { name: "Security" });
  await expect(profileTab).toHaveAttribute("aria-current", "page");
  await expect(securityTab).not.toHaveAttribute("aria-current", /.*/);
  // Visible, not only announced: the active tab's underline is drawn, the others' is transparent.
  const underline = (tab: typeof profileTab) => tab.evaluate((element) => getComputedStyle(element).borderBottomColor);
  expect(await underline(profileTab)).not.toBe(await underline(securityTab));

  await securityTab.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\/security$/);
  await expect(settingsNav(page).getByRole("link", { name: "Security" })).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveTitle(/Security settings/);

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/settings/notifications");
  await expect(page.locator("html")).toHaveClass(/dark/);
  const darkTabs = settingsNav(page);
  expect(await underline(darkTabs.getByRole("link", { name: "Notifications" }))).not.toBe(await underline(darkTabs.getByRole("link", { name: "Profile" })));

  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ["/settings/profile", "/settings/security", "/settings/sessions", "/settings/notifications"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
    await expect(settingsNav(page).getByRole("link", { name: "Notifications" })).toBeVisible();
  }
});

test("changing the name shows it everywhere; a blank name is a field error", async ({ page }) => {
  await signUp(page, uniqueEmail("name"));
  await page.goto("/settings/profile");
  await expect(page.getByRole("textbox", { name: "Email" })).toHaveAttribute("readonly", "");
  await expect(page.getByTestId("avatar-initials")).toContainText("TU");

  await page.getByLabel("Name").fill("   ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();

  await page.getByLabel("Name").fill("  Grace Hopper ");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Your name was saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("Grace Hopper");
  await expect(page.getByRole("button", { name: /Grace Hopper/ })).toBeVisible();
});

test("changing the password needs the current one, signs out the other sessions, and the old one stops working", async ({ page, browser }) => {
  // Two sign-ins, a sign-up and four bcrypt checks: slow on a loaded 2-core machine.
  test.setTimeout(120_000);
  const email = uniqueEmail("password");
  const newPassword = "a completely new passphrase";
  await signUp(page, email);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await expect(otherPage).toHaveURL(/\/dashboard$/);

  await page.goto("/settings/security");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();

  await page.getByLabel("Current password").fill(strongPassword);
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password was changed.")).toBeVisible();
  await expect(page.getByText("1 other session was signed out.")).toBeVisible();

  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await expect(page.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);

  await page.context().clearCookies();
  await signIn(page, email, strongPassword);
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await signIn(page, email, newPassword);
  await expect(page).toHaveURL(/\/dashboard$/);
  await other.close();
});

test("a notification preference persists after a reload", async ({ page }) => {
  await signUp(page, uniqueEmail("prefs"));
  await page.goto("/settings/notifications");
  await expect(page.getByText("Security emails")).toBeVisible();
  const forecast = page.getByRole("switch", { name: "Forecast alerts" });
  await expect(forecast).toHaveAttribute("aria-checked", "true");
  await forecast.click();
  await expect(page.getByText("Forecast alerts off.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("switch", { name: "Forecast alerts" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByRole("switch", { name: "Low-credit alerts" })).toHaveAttribute("aria-checked", "true");

  await page.getByRole("switch", { name: "Payment receipts" }).press("Space");
  await expect(page.getByText("Payment receipts off.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("switch", { name: "Payment receipts" })).toHaveAttribute("aria-checked", "false");
});
