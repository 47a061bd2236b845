import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const strongPassword = "correct horse battery staple";

export function uniqueEmail(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export async function signUp(page: Page, email: string, password = strongPassword, name = "Test User") {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up answers the same for a taken address, so it never signs in: sign in next, as a person would.
  await expect(page.getByText(`we sent a message to ${email}`)).toBeVisible();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signIn(page: Page, email: string, password = strongPassword) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The newest link in the newest message of a template to an address, read from /dev/mailbox. */
export async function mailboxLink(page: Page, email: string, template: string) {
  const message = page.locator(`article[data-template="${template}"]`).first();
  // Some mail is queued after the response (a reset request answers before any lookup): reload until it is there.
  await expect(async () => {
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(email)}`);
    await expect(message).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const href = await message.locator("a").first().getAttribute("href");
  if (!href) throw new Error(`no link in the ${template} email to ${email}`);
  return new URL(href).pathname + new URL(href).search;
}
