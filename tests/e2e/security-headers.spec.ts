import { expect, test, type APIResponse, type Page, type Response } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";

// The Content-Security-Policy carries a nonce made per request (proxy.ts): no 'unsafe-inline' for scripts,
// every script of the page carries the nonce, and the page still hydrates and works without a violation.

function scriptSrc(response: Response | APIResponse) {
  const policy = response.headers()["content-security-policy"];
  expect(policy, `no CSP on ${response.url()}`).toBeTruthy();
  const directive = policy!.split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src "));
  expect(directive).toBeTruthy();
  return directive!.split(/\s+/).slice(1);
}

function nonceOf(response: Response | APIResponse) {
  const sources = scriptSrc(response);
  const nonces = sources.filter((source) => source.startsWith("'nonce-")).map((source) => source.slice("'nonce-".length, -1));
  expect(nonces).toHaveLength(1);
  expect(sources).toContain("'strict-dynamic'");
  expect(sources).not.toContain("'unsafe-inline'");
  expect(nonces[0]!.length).toBeGreaterThanOrEqual(16);
  return nonces[0]!;
}

/** Collects CSP violations from the console and from the securitypolicyviolation event, from the first byte. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

/** Loads a page and checks its policy and every script tag of the HTML the server sent. */
async function loadWithNonce(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response!.status()).toBe(200);
  const nonce = nonceOf(response!);
  const html = await response!.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, `a script without the nonce on ${path}`).toContain(`nonce="${nonce}"`);
  // The other security headers still come from next.config.mjs.
  expect(response!.headers()["x-frame-options"]).toBe("DENY");
  expect(response!.headers()["x-content-type-options"]).toBe("nosniff");
  await page.waitForLoadState("networkidle");
  return nonce;
}

test("the landing page: a nonce, scripts that carry it, and a working button with no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  await loadWithNonce(page, "/");
  // The theme toggle only works once React has hydrated the page.
  await expect(async () => {
    await page.getByRole("button", { name: "Toggle dark mode" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/, { timeout: 1_000 });
  }).toPass();
  expect(violations).toEqual([]);
});

test("the sign-in page: its form action runs under the policy", async ({ page }) => {
  const violations = await watchViolations(page);
  await loadWithNonce(page, "/sign-in");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  expect(violations).toEqual([]);
});

test("a signed-in page: the keys dialog opens under the policy", async ({ page }) => {
  await signUp(page, uniqueEmail("csp"));
  const violations = await watchViolations(page);
  await loadWithNonce(page, "/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  // A client-side navigation loads more chunks; 'strict-dynamic' lets the trusted runtime load them.
  await page.getByRole("link", { name: "Dashboard" }).first().click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("every request gets a new nonce, and only the portal pages send signed-out visitors to sign-in", async ({ request }) => {
  for (const path of ["/", "/sign-in", "/sign-up"]) {
    const first = await request.get(path, { maxRedirects: 0 });
    const second = await request.get(path, { maxRedirects: 0 });
    expect(first.status(), path).toBe(200);
    expect(nonceOf(first)).not.toBe(nonceOf(second));
  }
  const portal = await request.get("/keys?tab=1", { maxRedirects: 0 });
  expect(portal.status()).toBe(307);
  expect(portal.headers()["location"]).toMatch(/\/sign-in\?callbackUrl=%2Fkeys%3Ftab%3D1$/);
  // JSON routes are left alone.
  expect((await request.get("/api/health/live")).headers()["content-security-policy"]).toBeUndefined();
});
