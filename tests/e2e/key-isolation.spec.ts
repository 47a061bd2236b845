import { eq } from "drizzle-orm";
import { expect, test, type Page } from "@playwright/test";
import { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import { db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { createUpstashStore, flushMirror, setCacheStore } from "@/lib/cache";
import { hashApiKey } from "@/lib/keys/format";
import { mailboxLink, signUp, uniqueEmail } from "./support/accounts";
import { captureServerAction, organizationIdOf, replayServerAction, type CapturedAction } from "./support/billing";
import { serviceHeaders, serviceTestKit } from "./support/service-api";

/**
 * Tenant isolation through the real server actions: organization B's admin sends the revoke and roll actions
 * with organization A's key id (their own request, captured on the wire, with only the id changed). The action
 * answers as for a key that does not exist, and A's key stays active in Postgres, on verify and in Redis.
 * The same rule on the lib functions: tests/integration/authorization.test.ts.
 */

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
let redis: Redis;

test.beforeAll(async () => {
  kit = await serviceTestKit();
  // A's key is made here through lib/, as the CLI would; its mirror write goes to the stack's Redis too.
  const { stackEnv } = kit;
  setCacheStore(
    createUpstashStore(
      new UpstashRedis({ url: stackEnv.UPSTASH_REDIS_REST_URL!, token: stackEnv.UPSTASH_REDIS_REST_TOKEN!, retry: false, automaticDeserialization: false, enableTelemetry: false }),
    ),
  );
  redis = new Redis("redis://127.0.0.1:6379");
});

test.afterAll(() => {
  setCacheStore(undefined);
  redis?.disconnect();
});

async function signUpVerified(page: Page, label: string) {
  const email = uniqueEmail(label);
  await signUp(page, email);
  await page.goto(await mailboxLink(page, email, "verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();
  return { email, organizationId: await organizationIdOf(email) };
}

/** The captured request with one key id swapped for another: what a client crafting the request would send. */
function aimedAt(action: CapturedAction, fromKeyId: string, toKeyId: string): CapturedAction {
  expect(action.body).toContain(fromKeyId);
  return { ...action, body: action.body.replaceAll(fromKeyId, toKeyId) };
}

test("another organization's key cannot be revoked or rolled through the key actions", async ({ page }) => {
  const a = await kit.createOrganizationWithKey(100);
  const b = await signUpVerified(page, "isolation-b");
  const create = (name: string) => kit.keys.createApiKey({ organizationId: b.organizationId, createdByUserId: null, name, scopes: ["query"] });
  const [toRevoke, toRoll] = [await create("B revoke"), await create("B roll")];
  await flushMirror();
  const keyEntry = `${kit.stackEnv.REDIS_PREFIX}key:${hashApiKey(a.key)}`;
  expect(await redis.hget(keyEntry, "status")).toBe("active");

  // B's own revoke and roll, as the keys page sends them.
  await page.goto("/keys");
  const revoke = await captureServerAction(page, async () => {
    await page.getByRole("button", { name: "Revoke B revoke" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  });
  await expect(page.getByRole("row", { name: /B revoke/ })).toContainText("Revoked");
  const roll = await captureServerAction(page, async () => {
    await page.getByRole("button", { name: "Roll B roll" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel(/Grace period/).fill("1");
    await dialog.getByRole("button", { name: "Roll key" }).click();
  });
  await expect(page.getByRole("dialog").getByLabel("API key")).toHaveValue(/^dz_live_/);

  // The replay reaches the action: B's own revoke again answers with the key's name.
  const again = await replayServerAction(page, revoke);
  expect(again.status).toBe(200);
  expect(again.text).toContain('"success":true');

  // Aimed at A's key, both answer "does not exist", as for any unknown id.
  for (const action of [revoke, roll]) {
    const answer = await replayServerAction(page, aimedAt(action, action === revoke ? toRevoke.apiKey.id : toRoll.apiKey.id, a.apiKey.id));
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("That API key does not exist.");
    expect(answer.text).not.toContain('"success":true');
  }

  const rowsOfA = await db.select().from(apiKeys).where(eq(apiKeys.organizationId, a.organization.id));
  expect(rowsOfA).toHaveLength(1);
  expect(rowsOfA[0]).toMatchObject({ id: a.apiKey.id, revokedAt: null, expiresAt: null, replacedByKeyId: null });
  // Nothing was added to B's organization either: its two keys and the one its own roll made.
  expect(await db.$count(apiKeys, eq(apiKeys.organizationId, b.organizationId))).toBe(3);
  const verified = await page.request.post("/api/keys/verify", { headers: serviceHeaders(), data: { apiKey: a.key } });
  expect(await verified.json()).toMatchObject({ valid: true, keyId: a.apiKey.id, expiresAt: null });
  expect(await redis.hgetall(keyEntry)).toMatchObject({ status: "active", keyId: a.apiKey.id, expiresAt: "" });
});
