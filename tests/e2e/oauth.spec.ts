import { expect, test, type Page } from "@playwright/test";
import { identityHint, type FakeIdentity } from "../fakes/oauth-provider";
import { mailboxLink, signUp, uniqueEmail } from "./support/accounts";
import { readStackEnv } from "./support/stack-env";

/** Signs in through a provider button, telling the local provider who "signed in" via login_hint. */
async function oauthSignIn(page: Page, button: string, providerUrl: string, identity: FakeIdentity) {
  await page.route(`${providerUrl}/**/authorize?*`, (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("login_hint", identityHint(identity));
    return route.continue({ url: url.toString() });
  });
  await page.goto("/sign-in");
  await page.getByRole("button", { name: button }).click();
}

function identity(label: string, verified = true): FakeIdentity {
  const email = uniqueEmail(label);
  return { sub: `sub-${email}`, email, name: `OAuth ${label}`, email_verified: verified };
}

test("Google: the first sign-in creates the user and organization, the second reuses them", async ({ page }) => {
  const { E2E_OIDC_URL } = readStackEnv();
  const person = identity("google");
  await oauthSignIn(page, "Continue with Google", E2E_OIDC_URL!, person);
  await expect(page).toHaveURL(/\/dashboard$/);
  const organization = await page.getByRole("heading", { level: 1 }).textContent();
  expect(organization).toBe("OAuth google's organization");
  // Google vouched for the address, so there is nothing to verify.
  const verifyStep = page.getByRole("region", { name: "Get started" }).getByRole("listitem").filter({ hasText: "Verify your email address" });
  await expect(verifyStep).toHaveAttribute("data-done", "true");

  await page.context().clearCookies();
  await oauthSignIn(page, "Continue with Google", E2E_OIDC_URL!, person);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings/security");
  await expect(page.getByRole("list", { name: "Linked providers" })).toContainText("Google");
});

test("GitHub: sign-in through the user and emails endpoints", async ({ page }) => {
  const { E2E_GITHUB_URL } = readStackEnv();
  await oauthSignIn(page, "Continue with GitHub", E2E_GITHUB_URL!, identity("github"));
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("OAuth github's organization");
});

test("Microsoft: nothing links into an unverified account; once its owner verifies it, a verified sign-in links", async ({ page, browser }) => {
  const { E2E_OIDC_URL } = readStackEnv();
  const email = uniqueEmail("entra");
  await signUp(page, email, undefined, "Password Owner");

  const attacker = await browser.newContext();
  const attackerPage = await attacker.newPage();
  await oauthSignIn(attackerPage, "Continue with Microsoft", E2E_OIDC_URL!, { sub: `sub-x-${email}`, email, name: "Someone", email_verified: false });
  await expect(attackerPage).toHaveURL(/\/sign-in\?error=link-required/);
  await expect(attackerPage.getByText(/link this provider from Settings/)).toBeVisible();
  await attacker.close();

  // The provider vouches for the address, but the account's own address was never verified: whoever
  // created it may not own the mailbox, so the provider is not linked into it.
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  const ownerIdentity = { sub: `sub-${email}`, email, name: "Password Owner", email_verified: true };
  await oauthSignIn(ownerPage, "Continue with Microsoft", E2E_OIDC_URL!, ownerIdentity);
  await expect(ownerPage).toHaveURL(/\/sign-in\?error=link-required/);

  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();

  await ownerPage.unrouteAll();
  await oauthSignIn(ownerPage, "Continue with Microsoft", E2E_OIDC_URL!, ownerIdentity);
  await expect(ownerPage).toHaveURL(/\/dashboard$/);
  await expect(ownerPage.getByRole("heading", { level: 1 })).toHaveText("Password Owner's organization");
  await owner.close();
});
