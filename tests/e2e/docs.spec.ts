import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";

// SPEC section 3: a real key is the prefix and at least 32 base58 characters.
const realKeyPattern = /dz_live_[1-9A-HJ-NP-Za-km-z]{32,}/;

test("the docs show every route, every error code and the viewer's organization id, never a real key", async ({ page }) => {
  await signUp(page, uniqueEmail("docs"));
  await page.getByRole("link", { name: "Docs" }).first().click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page).toHaveTitle(/API docs/);
  const organizationId = (await page.getByTestId("organization-id").textContent())!.trim();
  expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);

  for (const route of ["/api/usage", "/api/usage/batch", "/api/keys/verify", "/api/usage/export", "/api/cron/forecast", "/api/cron/outbox"]) {
    await expect(page.getByRole("heading", { name: new RegExp(`(POST|GET) ${route.replace(/\//g, "\\/")}$`) })).toBeVisible();
  }
  for (const [status, code] of [["402", "insufficient_credits"], ["409", "idempotency_conflict"], ["413", "payload_too_large"], ["503", "unavailable"]]) {
    await expect(page.locator(`tr[data-error-code="${code}"]`)).toContainText(status!);
  }
  await expect(page.getByRole("region", { name: "POST /api/usage request body" })).toContainText("requestId");
  await expect(page.getByRole("region", { name: "Redis keys" })).toContainText(`org:${organizationId}:credits`);
  await expect(page.getByText(`"organizationId": "${organizationId}"`)).toBeVisible();

  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(realKeyPattern);
  expect(text).toContain("dz_live_YOUR_KEY");
  expect(text).toContain("$PORTAL_SERVICE_TOKEN");
  expect(await page.content()).not.toMatch(realKeyPattern);
});

test("a copy button puts the example on the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, uniqueEmail("copy"));
  await page.goto("/docs");
  await page.getByRole("button", { name: "Copy Report one request: curl" }).click();
  await expect(page.getByText("Report one request: curl copied.")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('curl -sS -X POST "');
  expect(copied).toContain("/api/usage");
  expect(copied).toContain("Bearer $PORTAL_SERVICE_TOKEN");

  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
