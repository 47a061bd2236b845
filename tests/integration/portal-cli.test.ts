import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { getBalance } from "@/lib/credits";
import { findApiKey } from "@/lib/keys";

const run = promisify(execFile);

async function portal(...args: string[]) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", "scripts/portal.ts", ...args], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), UPSTASH_REDIS_REST_URL: "", NODE_ENV: "test" },
    });
    return { code: 0, stdout, stderr, last: stdout.trim().split("\n").at(-1) ?? "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, last: "" };
  }
}

describe("npm run portal", () => {
  it("runs every command on the same lib/ code as the app", async () => {
    expect((await portal("admin:create", "--email", `boss-${Date.now()}@example.test`, "--password", "a-long-enough-password")).code).toBe(0);
    const created = await portal("org:create", "--name", "CLI test org", "--admin-email", `ca-${Date.now()}@example.test`);
    expect(created.code).toBe(0);
    const organizationId = created.last;
    expect(organizationId).toMatch(/^[0-9a-f-]{36}$/);

    const granted = await portal("credits:grant", "--org", organizationId, "--credits", "250", "--reason", "welcome");
    expect(granted.last).toBe("250");
    expect((await portal("credits:grant", "--org", organizationId, "--credits", "-50", "--reason", "correction")).last).toBe("200");
    expect(await getBalance(organizationId)).toBe(200);

    const listed = await portal("org:list");
    expect(listed.stdout).toContain(`${organizationId}\tCLI test org\t200`);

    const key = await portal("keys:create", "--org", organizationId, "--name", "cli", "--scopes", "query", "--rate-limit", "60", "--expires", "2099-01-01T00:00:00Z");
    expect(key.last).toMatch(/^dz_live_[1-9A-HJ-NP-Za-km-z]{32,}$/);
    const stored = await findApiKey(key.last);
    expect(stored).toMatchObject({ organizationId, scopes: ["query"], rateLimitPerMinute: 60 });

    expect((await portal("keys:revoke", "--key", stored!.id)).code).toBe(0);
    expect((await findApiKey(key.last))!.revokedAt).not.toBeNull();
    expect((await portal("redis:resync")).stdout).toMatch(/wrote \d+ keys and \d+ balances/);
  });

  it("exits 2 with one line on bad input", async () => {
    const cases = [
      ["nope"],
      ["credits:grant", "--org", "not-an-id", "--credits", "5", "--reason", "x"],
      ["credits:grant", "--org", "00000000-0000-0000-0000-000000000000", "--credits", "five", "--reason", "x"],
      ["keys:create", "--org", "00000000-0000-0000-0000-000000000000", "--name", "x", "--scopes", "admin"],
      ["keys:revoke"],
      ["org:create", "--name"],
      ["usage:simulate", "--key", "k", "--requests", "0"],
      ["admin:create", "--email", "not-an-email", "--password", "a-long-enough-password"],
    ];
    for (const args of cases) {
      const result = await portal(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: /);
    }
  });
});
