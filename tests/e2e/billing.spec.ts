import { expect, test, type Page } from "@playwright/test";
import { adjustCredits, deductCredits, grantCredits } from "@/lib/credits";
import { mailboxLink, signIn, signUp, uniqueEmail } from "./support/accounts";
import {
  addMember,
  captureServerAction,
  countServerActions,
  expectBalanceIsLedgerSum,
  organizationIdOf,
  paymentsOf,
  purchaseEntriesOf,
  replayServerAction,
  seedStarterPurchases,
} from "./support/billing";
import { blockPayPalSdk, serveStandInPayPalSdk } from "./support/paypal-sdk";
import { serviceTestKit } from "./support/service-api";

test.beforeAll(async () => {
  // Points this process's `db` at the running app's database.
  await serviceTestKit();
});

async function verifyEmail(page: Page, email: string) {
  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();
}

async function signUpAdmin(page: Page, label: string, { verified }: { verified: boolean }) {
  const email = uniqueEmail(label);
  await signUp(page, email);
  if (verified) await verifyEmail(page, email);
  return { email, organizationId: await organizationIdOf(email) };
}

const starter = (page: Page) => page.getByRole("group", { name: "Starter" });
const paymentRows = (page: Page) => page.getByTestId("payment-row");
const ledgerRows = (page: Page) => page.getByTestId("ledger-row");

test("an unverified admin cannot buy credits; once verified, a test purchase adds them once", async ({ page }) => {
  const { email, organizationId } = await signUpAdmin(page, "billing", { verified: false });

  await page.goto("/billing");
  await expect(page.getByTestId("billing-balance")).toHaveText("0");
  await starter(page).getByRole("button", { name: "Buy with test payment for Starter" }).click();
  await expect(page.getByText(/Verify your email address first/)).toBeVisible();
  await page.reload();
  await starter(page).getByRole("button", { name: "Pay with card for Starter" }).click();
  await expect(starter(page).getByRole("alert")).toContainText("Verify your email address first");
  await page.reload();
  await expect(page.getByTestId("billing-balance")).toHaveText("0");
  await expect(page.getByText("No payments yet")).toBeVisible();
  await expect(page.getByText("No credit movements yet")).toBeVisible();
  expect(await paymentsOf(organizationId)).toHaveLength(0);

  await verifyEmail(page, email);
  await page.goto("/billing");
  const actionsSent = countServerActions(page);
  // A double click is two clicks before React re-renders the button as disabled: it must still buy once.
  await starter(page).getByRole("button", { name: "Buy with test payment for Starter" }).dblclick();
  await expect(page.getByText("Added 1,000 credits. Balance: 1,000.")).toBeVisible();
  // The action revalidates /billing, so both tables update without a reload.
  await expect(paymentRows(page)).toHaveCount(1);
  await expect(paymentRows(page).first()).toContainText(/Starter\s*1,000\s*\$10\.00\s*Test\s*Completed\s*—/);
  await expect(ledgerRows(page)).toHaveCount(1);
  await expect(ledgerRows(page).first()).toContainText(/Test purchase\s*\+1,000\s*1,000/);
  expect(actionsSent()).toBe(1);

  const [payment, ...others] = await paymentsOf(organizationId);
  expect(others).toHaveLength(0);
  expect(payment).toMatchObject({ provider: "test", status: "completed", credits: 1000, amountCents: 1000 });
  const purchases = await purchaseEntriesOf(organizationId);
  expect(purchases.map((entry) => entry.delta)).toEqual([1000]);

  await page.reload();
  await expect(page.getByTestId("billing-balance")).toHaveText("1,000");
  await expect(paymentRows(page)).toHaveCount(1);

  // At 375 px the tables scroll inside their cards instead of widening the page.
  await page.setViewportSize({ width: 375, height: 800 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  await page.goto("/dashboard");
  await expect(page.getByTestId("credit-balance")).toHaveText("1,000 credits");
  await expectBalanceIsLedgerSum(organizationId);
});

test("a client admin pays by card through Stripe Checkout and gets the credits once", async ({ page, browser, baseURL }) => {
  const { organizationId } = await signUpAdmin(page, "stripe", { verified: true });
  await page.goto("/billing");
  await starter(page).getByRole("button", { name: "Pay with card for Starter" }).click();

  // The local Stripe fake's hosted Checkout page.
  await page.waitForURL(/\/checkout\/cs_/);
  const sessionId = /\/checkout\/(cs_[^/?#]+)/.exec(page.url())![1]!;

  // A return page opened before Stripe has the money waits, and refreshes itself until the credits are in.
  const waiting = await page.context().newPage();
  await waiting.goto(`/billing/checkout/return?session_id=${sessionId}`);
  await expect(waiting.getByRole("heading", { name: "Payment received, adding credits…" })).toBeVisible();
  expect((await paymentsOf(organizationId)).map((row) => row.status)).toEqual(["pending"]);

  await page.getByRole("button", { name: "Pay $10.00" }).click();
  await page.waitForURL(/\/billing\/checkout\/return\?session_id=cs_/);
  expect(new URL(page.url()).searchParams.get("session_id")).toBe(sessionId);
  await expect(page.getByRole("heading", { name: "Payment received", exact: true })).toBeVisible();
  await expect(page.getByTestId("checkout-credits")).toHaveText("1,000");
  await expect(page.getByTestId("checkout-balance")).toHaveText("1,000");
  await expect(waiting.getByRole("heading", { name: "Payment received", exact: true })).toBeVisible();
  await expect(waiting.getByTestId("checkout-balance")).toHaveText("1,000");
  await waiting.close();
  // Coming back again (a reload, a second tab) grants nothing more.
  await page.reload();
  await expect(page.getByTestId("checkout-balance")).toHaveText("1,000");

  await page.getByRole("link", { name: "Back to billing" }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText("1,000");
  await expect(paymentRows(page)).toHaveCount(1);
  await expect(paymentRows(page).first()).toContainText(/Starter\s*1,000\s*\$10\.00\s*Card \(Stripe\)\s*Completed/);
  await expect(ledgerRows(page).first()).toContainText(/Purchase\s*\+1,000\s*1,000/);

  const [payment, ...others] = await paymentsOf(organizationId);
  expect(others).toHaveLength(0);
  expect(payment).toMatchObject({ provider: "stripe", status: "completed", credits: 1000, amountCents: 1000, providerPaymentId: sessionId });
  expect(payment!.stripeInvoiceId).toMatch(/^in_/);
  expect((await purchaseEntriesOf(organizationId)).map((entry) => entry.delta)).toEqual([1000]);

  // The invoice link redirects to Stripe's hosted invoice; the receipt is ours.
  const invoice = await page.request.get(`/billing/payments/${payment!.id}/invoice`, { maxRedirects: 0 });
  expect(invoice.status()).toBe(303);
  expect(invoice.headers().location).toMatch(new RegExp(`/invoices/${payment!.stripeInvoiceId}$`));
  await paymentRows(page).first().getByRole("link", { name: /^Receipt/ }).click();
  await expect(page.getByRole("heading", { name: "Receipt" })).toBeVisible();
  await expect(page.getByText(payment!.id)).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Card (Stripe)");
  await expect(page.getByRole("button", { name: "Print" })).toBeVisible();

  // Another organization's admin finds none of it.
  const outsiderContext = await browser.newContext({ baseURL });
  const outsider = await outsiderContext.newPage();
  const outsiderAccount = await signUpAdmin(outsider, "outsider", { verified: true });
  // Pages stream behind the portal's loading state, so their "not found" is the rendered page, not the status.
  for (const path of [`/billing/payments/${payment!.id}`, `/billing/checkout/return?session_id=${sessionId}`]) {
    await outsider.goto(path);
    await expect(outsider.getByRole("heading", { name: "Payment not found" }), path).toBeVisible();
    await expect(outsider.getByText(payment!.id)).toHaveCount(0);
  }
  const outsiderInvoice = await outsider.request.get(`/billing/payments/${payment!.id}/invoice`, { maxRedirects: 0 });
  expect(outsiderInvoice.status()).toBe(404);
  await outsiderContext.close();

  expect(await paymentsOf(organizationId)).toHaveLength(1);
  await expectBalanceIsLedgerSum(organizationId, outsiderAccount.organizationId);
});

test("a plain user sees the balance but cannot buy, not even by replaying an admin's action", async ({ page, browser, baseURL }) => {
  const admin = await signUpAdmin(page, "owner", { verified: true });
  const memberEmail = uniqueEmail("member");
  await addMember(admin.organizationId, memberEmail);

  const memberContext = await browser.newContext({ baseURL });
  const member = await memberContext.newPage();
  await signIn(member, memberEmail);
  await expect(member).toHaveURL(/\/dashboard$/);
  await member.goto("/billing");
  await expect(member.getByTestId("billing-balance")).toHaveText("0");
  await expect(member.getByText("Only your organization's admins can buy credits.", { exact: false })).toBeVisible();
  await expect(member.getByRole("heading", { name: "Buy credits" })).toHaveCount(0);
  await expect(member.getByRole("button", { name: /Pay with card|Pay with PayPal|Buy with test payment/ })).toHaveCount(0);

  // The admin's own test purchase, captured on the wire...
  await page.goto("/billing");
  const testPurchase = await captureServerAction(page, () =>
    starter(page).getByRole("button", { name: "Buy with test payment for Starter" }).click(),
  );
  await expect(page.getByText("Added 1,000 credits. Balance: 1,000.")).toBeVisible();
  const before = { payments: (await paymentsOf(admin.organizationId)).length, balance: 1000 };
  expect(before.payments).toBe(1);

  // ...sent again, byte for byte, with the member's session: the action itself refuses.
  const replayed = await replayServerAction(member, testPurchase);
  expect(replayed.status).toBe(200);
  expect(replayed.text).toContain("You do not have permission to do that.");
  expect(await paymentsOf(admin.organizationId)).toHaveLength(before.payments);
  await member.reload();
  await expect(member.getByTestId("billing-balance")).toHaveText("1,000");

  // The same for the Stripe action: the admin's attempt leaves for Checkout, the member's replay starts nothing.
  await page.goto("/billing");
  const stripeCheckout = await captureServerAction(page, () => starter(page).getByRole("button", { name: "Pay with card for Starter" }).click());
  await page.waitForURL(/\/checkout\/cs_/);
  const afterAdminCheckout = (await paymentsOf(admin.organizationId)).length;
  expect(afterAdminCheckout).toBe(before.payments + 1);
  const replayedCheckout = await replayServerAction(member, stripeCheckout);
  expect(replayedCheckout.status).toBe(200);
  expect(replayedCheckout.text).toContain("You do not have permission to do that.");
  expect(await paymentsOf(admin.organizationId)).toHaveLength(afterAdminCheckout);
  expect((await purchaseEntriesOf(admin.organizationId)).map((entry) => entry.delta)).toEqual([1000]);

  // Members may read the history and receipts of their own organization.
  await member.reload();
  await expect(paymentRows(member)).toHaveCount(2);
  await memberContext.close();
  await expectBalanceIsLedgerSum(admin.organizationId);
});

test("PayPal: a blocked SDK says so; the buttons refuse an unverified admin, then buy once", async ({ page }) => {
  const { email, organizationId } = await signUpAdmin(page, "paypal", { verified: false });
  await blockPayPalSdk(page);
  await page.goto("/billing");
  await starter(page).getByRole("button", { name: "Pay with PayPal for Starter" }).click();
  const dialog = page.getByRole("dialog", { name: "Pay for Starter with PayPal" });
  await expect(dialog.getByRole("alert")).toHaveText(/PayPal could not be loaded\. Check your connection or pay by card\./);

  // With the SDK back, the server still refuses an unverified admin's order, and says why.
  await serveStandInPayPalSdk(page);
  await dialog.getByRole("button", { name: "Try again" }).click();
  await dialog.getByRole("button", { name: "PayPal (test)" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Verify your email address first.");
  expect(await paymentsOf(organizationId)).toHaveLength(0);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await verifyEmail(page, email);
  await page.goto("/billing");
  await starter(page).getByRole("button", { name: "Pay with PayPal for Starter" }).click();
  await dialog.getByRole("button", { name: "PayPal (test)" }).click();
  await expect(page.getByText("Added 1,000 credits. Balance: 1,000.")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("billing-balance")).toHaveText("1,000");
  await expect(paymentRows(page).first()).toContainText(/Starter\s*1,000\s*\$10\.00\s*PayPal\s*Completed/);

  const [payment, ...others] = await paymentsOf(organizationId);
  expect(others).toHaveLength(0);
  expect(payment).toMatchObject({ provider: "paypal", status: "completed", credits: 1000 });
  expect((await purchaseEntriesOf(organizationId)).map((entry) => entry.delta)).toEqual([1000]);
  await expectBalanceIsLedgerSum(organizationId);
});

test("payment history and credit movements page independently", async ({ page }) => {
  const { organizationId } = await signUpAdmin(page, "pages", { verified: true });
  // 11 payments (one more than a page) and 22 movements (two more than a page).
  await seedStarterPurchases(organizationId, 11);
  for (let i = 0; i < 11; i++) await grantCredits({ organizationId, credits: 5 });

  await page.goto("/billing");
  await expect(paymentRows(page)).toHaveCount(10);
  await expect(ledgerRows(page)).toHaveCount(20);
  await expect(page.getByRole("navigation", { name: "Payment history pages" }).getByRole("link", { name: "Newest" })).toHaveCount(0);

  await page.getByRole("link", { name: "Older payments" }).click();
  await expect(page).toHaveURL(/[?&]payments=[^&#]+/);
  await expect(paymentRows(page)).toHaveCount(1);
  await expect(ledgerRows(page)).toHaveCount(20);
  await expect(page.getByRole("link", { name: "Older payments" })).toHaveCount(0);

  await page.getByRole("link", { name: "Older movements" }).click();
  await expect(page).toHaveURL(/[?&]ledger=\d+/);
  await expect(page).toHaveURL(/[?&]payments=/);
  await expect(ledgerRows(page)).toHaveCount(2);
  await expect(ledgerRows(page).last()).toContainText(/Purchase\s*\+1,000\s*1,000/);
  await expect(paymentRows(page)).toHaveCount(1);

  await page.getByRole("navigation", { name: "Payment history pages" }).getByRole("link", { name: "Newest" }).click();
  await expect(page).not.toHaveURL(/payments=/);
  await expect(paymentRows(page)).toHaveCount(10);
  await expect(ledgerRows(page)).toHaveCount(2);

  // A mangled cursor is the first page, not an error.
  await page.goto("/billing?payments=nonsense&ledger=-4");
  await expect(paymentRows(page)).toHaveCount(10);
  await expect(ledgerRows(page)).toHaveCount(20);
  await expectBalanceIsLedgerSum(organizationId);
});

test("a cancelled checkout says nothing was charged", async ({ page }) => {
  const { organizationId } = await signUpAdmin(page, "cancel", { verified: true });
  await page.goto("/billing?checkout=cancelled");
  await expect(page.getByRole("status").filter({ hasText: "Checkout was cancelled. Nothing was charged." })).toBeVisible();
  await expect(page.getByTestId("billing-balance")).toHaveText("0");
  await expectBalanceIsLedgerSum(organizationId);
});

test("credit movements read as words, with the sign of every amount", async ({ page }) => {
  const { organizationId } = await signUpAdmin(page, "labels", { verified: true });
  await grantCredits({ organizationId, credits: 1000 });
  await deductCredits({ organizationId, credits: 5 });
  await adjustCredits({ organizationId, delta: -3, note: "Duplicate request refunded by support" });
  await page.goto("/billing");
  // Newest first; a real minus sign (U+2212), as wide as the plus.
  await expect(ledgerRows(page)).toHaveText([
    /Adjustment\s*Duplicate request refunded by support\s*\u22123\s*992$/,
    /API usage\s*\u22125\s*995$/,
    /Credit grant\s*\+1,000\s*1,000$/,
  ]);
  await expectBalanceIsLedgerSum(organizationId);
});

test("at 375 px the payment and ledger tables scroll inside their card and say so", async ({ page }) => {
  const { organizationId } = await signUpAdmin(page, "narrow", { verified: true });
  await seedStarterPurchases(organizationId, 1);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto("/billing");
  const payments = page.locator("#payments");
  await expect(payments.getByTestId("table-scroll-hint")).toBeVisible();
  const receipt = paymentRows(page).first().getByRole("link", { name: /^Receipt/ });
  await expect(receipt).not.toBeInViewport();
  await receipt.scrollIntoViewIfNeeded();
  await expect(receipt).toBeInViewport();
  const status = paymentRows(page).first().getByText("Completed");
  await status.scrollIntoViewIfNeeded();
  await expect(status).toBeInViewport();
  // The page itself never scrolls sideways: only the table inside its card does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
