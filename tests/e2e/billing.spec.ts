import { expect, test } from "@playwright/test";
import { mailboxLink, signUp, uniqueEmail } from "./support/accounts";

test("an unverified admin cannot buy credits; once verified, a test purchase adds them once", async ({ page }) => {
  const email = uniqueEmail("billing");
  await signUp(page, email);

  await page.goto("/billing");
  await expect(page.getByTestId("billing-balance")).toHaveText("0");
  await page.getByRole("button", { name: "Buy Starter with a test payment" }).click();
  await expect(page.getByText(/Verify your email address first/)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("billing-balance")).toHaveText("0");
  await expect(page.getByText("No payments yet")).toBeVisible();

  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();

  await page.goto("/billing");
  await page.getByRole("button", { name: "Buy Starter with a test payment" }).click();
  await expect(page.getByText("Added 1,000 credits. Balance: 1,000.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("billing-balance")).toHaveText("1,000");
  await expect(page.getByRole("row", { name: /Starter test completed 1,000 \$10\.00/ })).toBeVisible();

  await page.goto("/dashboard");
  await expect(page.getByTestId("credit-balance")).toHaveText("1,000 credits");
});
