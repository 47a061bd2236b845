import { expect, test } from "@playwright/test";
import { mailboxLink, signIn, signUp, strongPassword, uniqueEmail } from "./support/accounts";
import { captureServerAction, replayServerAction } from "./support/billing";

test("sign up, verify from the mailbox, sign out, sign in", async ({ page }) => {
  const email = uniqueEmail("signup");
  await signUp(page, email);
  const verifyStep = page.getByRole("region", { name: "Get started" }).getByRole("listitem").filter({ hasText: "Verify your email address" });
  await expect(verifyStep).toHaveAttribute("data-done", "false");
  await expect(page.getByTestId("credit-balance")).toHaveText("0 credits");

  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();

  await page.goto("/dashboard");
  await expect(verifyStep).toHaveAttribute("data-done", "true");
  await page.getByRole("button", { name: /Test User/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings%2Fsessions/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(strongPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await expect(page.getByText("This browser")).toBeVisible();
});

test("bad sign-up input shows field errors", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Weak");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("This password is too common. Choose another.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("signing up with a taken email answers as a new sign-up and emails the owner instead", async ({ page, browser }) => {
  const email = uniqueEmail("taken");
  await signUp(page, email);

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-up");
  await otherPage.getByLabel("Name").fill("Someone Else");
  await otherPage.getByLabel("Email").fill(email);
  await otherPage.getByLabel("Password").fill("another long passphrase");
  await otherPage.getByRole("button", { name: "Create account" }).click();
  await expect(otherPage.getByText(`we sent a message to ${email}`)).toBeVisible();
  await expect(otherPage.getByText(/already exists/)).toHaveCount(0);
  // Nothing was created: the other password does not sign in; the owner got a notice, not a second link.
  await signIn(otherPage, email, "another long passphrase");
  await expect(otherPage.getByText("Wrong email or password.")).toBeVisible();
  await otherPage.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
  await expect(otherPage.locator('article[data-template="sign-up-attempt"]')).toBeVisible();
  await expect(otherPage.locator('article[data-template="verify-email"]')).toHaveCount(1);
  await other.close();
});

test("an unknown email is locked after five wrong passwords, like a real account", async ({ page }) => {
  const email = uniqueEmail("nobody");
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await signIn(page, email, "wrong password number " + attempt);
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
  }
  await signIn(page, email, "wrong password number 5");
  await expect(page.getByText(/this account is locked until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)).toBeVisible();
});

test("five wrong passwords lock the account, even against the right one", async ({ page }) => {
  const email = uniqueEmail("lockout");
  await signUp(page, email);
  await page.context().clearCookies();
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await signIn(page, email, "wrong password number " + attempt);
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
  }
  await signIn(page, email, "wrong password number 5");
  await expect(page.getByText(/this account is locked until/)).toBeVisible();
  await signIn(page, email, strongPassword);
  await expect(page.getByText(/this account is locked until/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
  await expect(page.locator('article[data-template="account-locked"]')).toBeVisible();
});

test("password reset: old password fails, new one works, other sessions end", async ({ page, browser }) => {
  const email = uniqueEmail("reset");
  await signUp(page, email);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await expect(otherPage).toHaveURL(/\/dashboard$/);

  const anonymous = await browser.newContext();
  const resetPage = await anonymous.newPage();
  await resetPage.goto("/forgot-password");
  await resetPage.getByLabel("Email").fill(email);
  await resetPage.getByRole("button", { name: "Send reset link" }).click();
  await expect(resetPage.getByText(`If an account exists for ${email}`)).toBeVisible();
  const link = await mailboxLink(resetPage, email, "password-reset");
  await resetPage.goto(link);
  const newPassword = "a brand new long passphrase";
  await resetPage.getByLabel("New password").fill(newPassword);
  await resetPage.getByRole("button", { name: "Set new password" }).click();
  await expect(resetPage).toHaveURL(/\/sign-in\?reset=1/);

  await otherPage.goto("/dashboard");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(resetPage, email, strongPassword);
  await expect(resetPage.getByText("Wrong email or password.")).toBeVisible();
  await signIn(resetPage, email, newPassword);
  await expect(resetPage).toHaveURL(/\/dashboard$/);

  // The link works once.
  await resetPage.goto(link);
  await resetPage.getByLabel("New password").fill("yet another long passphrase");
  await resetPage.getByRole("button", { name: "Set new password" }).click();
  await expect(resetPage.getByText(/already been used/)).toBeVisible();
  await other.close();
  await anonymous.close();
});

test("revoking a session signs that browser out on its next request", async ({ page, browser }) => {
  const email = uniqueEmail("revoke");
  await signUp(page, email);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email);
  await expect(otherPage).toHaveURL(/\/dashboard$/);

  await page.goto("/settings/sessions");
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(1);
  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  // While the action runs its button reads "Working…", so no "Revoke" is left to count: wait for its answer.
  await expect(page.getByText("The session was revoked.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  await otherPage.goto("/settings/profile");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await page.goto("/settings/profile");
  await expect(page).toHaveURL(/\/settings\/profile$/);
  await other.close();
});

test("a wrong password keeps the email the user typed, and empties only the password", async ({ page }) => {
  const email = uniqueEmail("keep-email");
  await signIn(page, email, "not the password at all");
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");
});

test("a refused sign-up keeps the name and email", async ({ page }) => {
  const email = uniqueEmail("keep-fields");
  await page.goto("/sign-up");
  const fill = async () => {
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(strongPassword);
  };
  await fill();
  const sent = await captureServerAction(page, () => page.getByRole("button", { name: "Create account" }).click());
  await expect(page.getByText(`we sent a message to ${email}`)).toBeVisible();
  // Use up this address's sign-up attempts (the email limit), so the next one is refused by the server.
  for (let attempt = 0; attempt < 10; attempt++) await replayServerAction(page, sent);
  await page.goto("/sign-up");
  await fill();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Too many attempts. Wait a few minutes and try again.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Ada Lovelace");
  await expect(page.getByLabel("Email")).toHaveValue(email);
});

test("forgot-password leads back to sign in, and the verify page says what its button does", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveTitle("Reset your password · Credit Portal");
  await page.getByRole("link", { name: "Back to sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");

  await page.goto("/verify-email?token=not-a-real-token");
  await expect(page.getByText("Press the button to confirm that this address is yours.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm my email address" })).toBeVisible();
});
