import { expect, test } from "@playwright/test";

test("the landing page says what the portal is and leads to sign-up and sign-in", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Credit Portal");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pay-as-you-go access to the analytics data API");
  await expect(page.getByRole("main")).toContainText("Credit Portal is where you buy credits, create API keys");
  await expect(page.getByRole("region", { name: "Features" }).getByRole("listitem")).toHaveText([/^Buy credits/, /^Create API keys/, /^Track usage/]);

  // The header offers both ways in.
  const header = page.getByRole("navigation", { name: "Account" });
  await expect(header.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
  await expect(header.getByRole("link", { name: "Create account" })).toHaveAttribute("href", "/sign-up");

  // The hero's buttons lead to the working forms.
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page).toHaveTitle("Create an account · Credit Portal");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an account");
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();

  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pay-as-you-go access to the analytics data API");
  await main.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});

test("a link clicked while its prefetch is still in flight still gives the page its title", async ({ page }) => {
  // Holds the second prefetch of each link (the one up to its loading boundary, after the route tree) as a slow
  // network would, so the click lands while it is pending: vercel/next.js#98684 then commits the page without its
  // head. The navigation's own request passes.
  await page.route(
    (url) => url.searchParams.has("_rsc"),
    async (route) => {
      const headers = route.request().headers();
      if (headers["next-router-prefetch"] && !headers["next-router-segment-prefetch"]) {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      }
      await route.continue().catch(() => undefined);
    },
  );
  await page.goto("/");
  await expect(page).toHaveTitle("Credit Portal");
  await page.getByRole("main").getByRole("link", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an account");
  await expect(page).toHaveTitle("Create an account · Credit Portal");
});

test("every page has a favicon: no 404 in the console or on the network", async ({ page }) => {
  const notFound: string[] = [];
  page.on("response", (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /404/.test(message.text())) notFound.push(message.text());
  });
  for (const path of ["/", "/sign-in", "/sign-up", "/forgot-password"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(notFound).toEqual([]);
  const icon = page.locator('link[rel="icon"][type="image/svg+xml"]');
  await expect(icon).toHaveCount(1);
  const response = await page.request.get((await icon.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("image/svg+xml");
});

test("the usage promise is the one the portal keeps", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Features" })).toContainText(
    "See where they go by day, key and endpoint, when they will run out at your current rate, and export the history as CSV.",
  );
});

test("health endpoints answer from the running app", async ({ request }) => {
  const live = await request.get("/api/health/live");
  expect(live.status()).toBe(200);
  expect(live.headers()["content-type"]).toContain("application/json");
  expect(await live.json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/health");
  expect(ready.status()).toBe(200);
  expect(ready.headers()["content-type"]).toContain("application/json");
  expect(ready.headers()["cache-control"]).toContain("no-store");
  // The stack runs with its database and Redis up: nothing degraded, and nothing else in the answer.
  expect(await ready.json()).toEqual({ status: "ok", db: "ok", cache: "ok" });
});

test("responses carry the security headers", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toContain("max-age=");
});
