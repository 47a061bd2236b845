import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/accounts";
import { organizationIdOf } from "./support/billing";
import { serviceHeaders, serviceTestKit } from "./support/service-api";

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
test.beforeAll(async () => {
  kit = await serviceTestKit();
});

/** Reports `count` events for a key through the service API, a minute apart going back from `minutesAgo`. */
async function reportUsage(request: APIRequestContext, apiKey: string, count: number, endpoint: string, credits: number, label: string, minutesAgo: number) {
  const start = Date.now() - minutesAgo * 60_000;
  const events = Array.from({ length: count }, (_, i) => ({
    apiKey,
    requestId: `${label}-${i}`,
    credits,
    endpoint,
    occurredAt: new Date(start - i * 60_000).toISOString(),
  }));
  const response = await request.post("/api/usage/batch", { headers: serviceHeaders(), data: { events } });
  expect(response.status()).toBe(200);
  const { results } = (await response.json()) as { results: Array<{ success: boolean }> };
  expect(results.every((result) => result.success)).toBe(true);
}

/** A signed-in client admin whose organization has 60 events on "Production" and 5 bigger ones on "Staging". */
async function accountWithUsage(page: Page, request: APIRequestContext) {
  const email = uniqueEmail("usage");
  await signUp(page, email);
  const organizationId = await organizationIdOf(email);
  await kit.credits.grantCredits({ organizationId, credits: 10_000 });
  const production = await kit.keys.createApiKey({ organizationId, createdByUserId: null, name: "Production", scopes: ["query"] });
  const staging = await kit.keys.createApiKey({ organizationId, createdByUserId: null, name: "Staging", scopes: ["query"] });
  await reportUsage(request, production.key, 60, "/v1/query", 2, "prod", 60);
  await reportUsage(request, staging.key, 5, "/v1/search", 7, "staging", 200);
  return { email, organizationId, stagingKeyId: staging.apiKey.id };
}

const rows = (page: Page) => page.getByTestId("usage-row");

test("filters change the table and the URL, Back restores the previous view, and pages walk the events", async ({ page, request }) => {
  const { stagingKeyId } = await accountWithUsage(page, request);
  await page.getByRole("link", { name: "Usage" }).first().click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(page).toHaveTitle(/Usage/);
  await expect(page.getByTestId("usage-total-requests")).toHaveText("65");
  await expect(page.getByTestId("usage-total-credits")).toHaveText("155");
  await expect(rows(page)).toHaveCount(50);

  // Newest first: the staging events are the oldest, so the first page is all Production; the next holds the rest.
  await expect(rows(page).first()).toContainText("prod-0");
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/cursor=a_/);
  await expect(rows(page)).toHaveCount(15);
  await expect(rows(page).last()).toContainText("staging-4");
  await expect(page.getByRole("link", { name: "Next" })).toHaveCount(0);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(page).toHaveURL(/cursor=b_/);
  await expect(rows(page)).toHaveCount(50);
  await expect(rows(page).first()).toContainText("prod-0");
  await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);

  await page.getByRole("link", { name: "First page" }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await page.getByLabel("API key").selectOption({ label: "Staging" });
  await expect(page).toHaveURL(new RegExp(`keyId=${stagingKeyId}`));
  await expect(rows(page)).toHaveCount(5);
  await expect(page.getByTestId("usage-total-requests")).toHaveText("5");
  await expect(page.getByTestId("usage-total-credits")).toHaveText("35");

  await page.getByLabel("Sort").selectOption({ label: "Oldest first" });
  await expect(page).toHaveURL(/dir=asc/);
  await expect(rows(page).first()).toContainText("staging-4");

  await page.goBack();
  await expect(page).not.toHaveURL(/dir=asc/);
  await expect(rows(page).first()).toContainText("staging-0");
  await expect(page.getByLabel("Sort")).toHaveValue("time:desc");
  await page.goBack();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(rows(page)).toHaveCount(50);
  await expect(page.getByLabel("API key")).toHaveValue("");

  await page.getByLabel("Endpoint").selectOption("/v1/search");
  await expect(page).toHaveURL(/endpoint=%2Fv1%2Fsearch/);
  await expect(rows(page)).toHaveCount(5);
  await page.getByLabel("Sort").selectOption({ label: "Most credits first" });
  await expect(page).toHaveURL(/sort=credits/);

  // A day range with nothing in it says so and offers the way back.
  await page.getByLabel("From (UTC)").fill("2021-01-01");
  await page.getByLabel("To (UTC, inclusive)").fill("2021-01-31");
  await expect(page).toHaveURL(/from=2021-01-01&to=2021-01-31/);
  await expect(page.getByText("No usage matches these filters")).toBeVisible();
  await page.getByRole("link", { name: "clear filters", exact: true }).click();
  await expect(page).toHaveURL(/\/usage$/);
  await expect(rows(page)).toHaveCount(50);
});

test("bad or foreign parameters show a message next to the filter, never another organization's usage", async ({ page, request }) => {
  const other = await accountWithUsage(page, request);
  await page.context().clearCookies();
  await signUp(page, uniqueEmail("usage-empty"));
  await page.goto("/usage");
  await expect(page.getByText("No usage yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Create a key" })).toHaveAttribute("href", "/keys");

  const response = await page.goto(`/usage?keyId=${other.stagingKeyId}&from=2026-02-30&to=2019-01-01&cursor=%00garbage&endpoint=%00`);
  expect(response?.status()).toBe(200);
  await expect(page.getByLabel("API key")).toHaveAccessibleDescription("No API key of your organization has this id; showing every key.");
  await expect(page.getByLabel("From (UTC)")).toHaveAccessibleDescription("Enter a date as YYYY-MM-DD.");
  await expect(page.getByLabel("To (UTC, inclusive)")).toHaveAccessibleDescription(/Choose a day from 2020-01-01/);
  await expect(page.getByLabel("Endpoint")).toHaveAccessibleDescription("That endpoint cannot exist; showing every endpoint.");
  await expect(page.getByText("That page link is not valid; showing the first page.")).toBeVisible();
  await expect(page.getByTestId("usage-total-requests")).toHaveText("0");
  await expect(rows(page)).toHaveCount(0);
});

test("at 375 px the table scrolls inside its card and the page does not", async ({ page, request }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await accountWithUsage(page, request);
  await page.goto("/usage");
  await expect(rows(page)).toHaveCount(50);
  await expect(page.getByText("Scroll the table sideways to see every column")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const scroller = page.getByTestId("usage-table").locator("..");
  expect(await scroller.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
});

test("Export CSV downloads the filtered events, oldest first, with the SPEC section 8 header", async ({ page, request }) => {
  const { stagingKeyId } = await accountWithUsage(page, request);
  await page.goto(`/usage?keyId=${stagingKeyId}`);
  await expect(rows(page)).toHaveCount(5);
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^usage-.*\.csv$/);
  const lines = (await (await download.createReadStream()).toArray()).join("").trimEnd().split(/\r?\n/);
  expect(lines[0]).toBe("occurred_at,request_id,api_key_id,api_key_name,endpoint,credits,balance_after");
  expect(lines).toHaveLength(6);
  // Oldest first: staging-4 happened first. Every row is the Staging key's, 7 credits on /v1/search.
  expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(["staging-4", "staging-3", "staging-2", "staging-1", "staging-0"]);
  for (const line of lines.slice(1)) {
    const [, , keyId, keyName, endpoint, credits] = line.split(",");
    expect([keyId, keyName, endpoint, credits]).toEqual([stagingKeyId, "Staging", "/v1/search", "7"]);
  }
  await expect(page.getByText(/Saved usage-.*\(5 rows\)/)).toBeVisible();
});
