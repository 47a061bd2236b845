import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { db } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { signIn, strongPassword, uniqueEmail } from "./support/accounts";
import { serviceTestKit } from "./support/service-api";

/** Every portal page, with the heading it must show: what each role can open. */
const portalPages = [
  { path: "/dashboard", heading: /./ },
  { path: "/usage", heading: /^Usage$/ },
  { path: "/keys", heading: /^API keys$/ },
  { path: "/billing", heading: /^Billing$/ },
  { path: "/settings/profile", heading: /^Settings$/ },
  { path: "/settings/security", heading: /^Settings$/ },
  { path: "/settings/sessions", heading: /^Settings$/ },
  { path: "/settings/notifications", heading: /^Settings$/ },
  { path: "/docs", heading: /^API docs$/ },
];
/** Pages beyond those, for the roles the permission table lets open them. */
const organizationPages = [
  { path: "/org/members", heading: /^Members$/ },
  { path: "/org/settings", heading: /^Organization settings$/ },
];
const adminPages = [
  { path: "/admin/organizations", heading: /^Organizations$/ },
  { path: "/admin/users", heading: /^Users$/ },
  { path: "/admin/packages", heading: /^Credit packages$/ },
  { path: "/admin/payments", heading: /^All payments$/ },
  { path: "/admin/audit", heading: /^Audit log$/ },
  { path: "/admin/system", heading: /^System$/ },
];
const pagesFor = { user: portalPages, client_admin: [...portalPages, ...organizationPages], business_admin: [...portalPages, ...organizationPages, ...adminPages] };
const publicPages = ["/", "/sign-in", "/sign-up", "/forgot-password"];
const themes = ["light", "dark"] as const;

let kit: Awaited<ReturnType<typeof serviceTestKit>>;

test.beforeAll(async () => {
  kit = await serviceTestKit();
});

/** One organization with usage on a few days, and a verified password user of the given role in it. */
async function memberWithUsage(role: Role) {
  const { organization, key } = await kit.createOrganizationWithKey(5_000);
  const { reportUsage } = await import("@/lib/usage/report");
  for (let daysAgo = 0; daysAgo < 5; daysAgo++) {
    const occurredAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    await reportUsage({ apiKey: key, requestId: `pages-${daysAgo}`, credits: 10 + daysAgo, endpoint: "/v1/query", occurredAt });
  }
  const email = uniqueEmail(role.replace("_", "-"));
  await db.insert(users).values({
    email,
    name: `A ${role}`,
    role,
    organizationId: organization.id,
    emailVerified: new Date(),
    passwordHash: await hashPassword(strongPassword),
  });
  return { email, organizationId: organization.id };
}

/** Serious and critical accessibility violations, one line each, so a failure names the rule and the element. */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

async function openInTheme(page: Page, path: string, theme: (typeof themes)[number]) {
  await page.emulateMedia({ colorScheme: theme });
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers`).toBeLessThan(400);
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}

async function expectRendered(page: Page, path: string, heading: RegExp) {
  await expect(page.getByRole("heading", { level: 1, name: heading }), `${path} shows its heading`).toBeVisible();
  // Every error boundary renders components/ui/error-panel.tsx, an alert that says what could not load.
  await expect(page.getByRole("alert").filter({ hasText: /could not be loaded|Something went wrong/ }), `${path} did not fail`).toHaveCount(0);
  // The root layout's template: a page without its own title would show the bare "Credit Portal".
  expect(await page.title(), `${path} has its own title`).toMatch(/^\S.* · Credit Portal$/);
}

for (const role of ["user", "client_admin"] as const) {
  test(`every portal page a ${role} may open renders, with its heading and title`, async ({ page }) => {
    const { email } = await memberWithUsage(role);
    await signIn(page, email);
    await expect(page).toHaveURL(/\/dashboard$/);
    for (const { path, heading } of pagesFor[role]) {
      await openInTheme(page, path, "light");
      await expectRendered(page, path, heading);
    }
  });
}

// The business admin opens every page there is, so axe runs once per page and theme, here.
test("every page renders for a business_admin, with its heading and title, and axe finds nothing serious in light and dark mode", async ({ page }) => {
  test.slow();
  const { email } = await memberWithUsage("business_admin");
  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  for (const { path, heading } of pagesFor.business_admin) {
    for (const theme of themes) {
      await openInTheme(page, path, theme);
      await expectRendered(page, path, heading);
      expect(await seriousViolations(page), `${path} in ${theme} mode`).toEqual([]);
    }
  }
});

test("the public pages: axe finds nothing serious in light and dark mode", async ({ page }) => {
  for (const path of publicPages) {
    for (const theme of themes) {
      await openInTheme(page, path, theme);
      expect(await seriousViolations(page), `${path} in ${theme} mode`).toEqual([]);
    }
  }
});
