import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance } from "@/lib/credits";
import { createOrganizationWithKey } from "../helpers/usage";
import { startTcpProxy } from "../helpers/tcp-proxy";

// The app reaches the test database through a proxy that the test cuts, as a network outage would.
const direct = new URL(inject("databaseUrl"));
const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
const proxied = new URL(direct);
proxied.port = String(proxy.port);
process.env.DATABASE_URL = proxied.toString();
process.env.USAGE_SERVICE_TOKENS = "outage-test-token";

const { POST: reportUsage } = await import("@/app/api/usage/route");
const { POST: reportBatch } = await import("@/app/api/usage/batch/route");

function post(route: (request: Request) => Promise<Response>, body: unknown) {
  return route(
    new Request("http://portal.test/api/usage", {
      method: "POST",
      headers: { authorization: "Bearer outage-test-token", "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

describe("the usage routes while the database is unreachable", () => {
  let fixture: Awaited<ReturnType<typeof createOrganizationWithKey>>;
  beforeAll(async () => {
    // Far above the low-credit threshold, so no alert email is part of this test.
    fixture = await createOrganizationWithKey(10_000);
  });
  afterAll(async () => {
    await closeDatabase();
    await proxy.close();
  });

  it("answer 503 unavailable and change nothing; the same report succeeds once it is back", async () => {
    const report = { apiKey: fixture.key, requestId: randomUUID(), credits: 5 };
    proxy.setDown(true);
    const single = await post(reportUsage, report);
    expect(single.status).toBe(503);
    expect(await single.json()).toMatchObject({ success: false, error: "unavailable" });
    const batch = await post(reportBatch, { events: [report] });
    expect(batch.status).toBe(503);
    expect(await batch.json()).toMatchObject({ success: false, error: "unavailable" });

    proxy.setDown(false);
    expect(await getBalance(fixture.organization.id)).toBe(10_000);
    expect(await db.select().from(usageEvents).where(eq(usageEvents.organizationId, fixture.organization.id))).toEqual([]);

    const retried = await post(reportUsage, report);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ success: true, remainingCredits: 9_995, duplicate: false });
  });
});
