import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env, EnvError, parseEnv } from "@/lib/env";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";

const production = { NODE_ENV: "production", DATABASE_URL: "postgres://db/portal", AUTH_SECRET: "s", USAGE_SERVICE_TOKENS: "t" };
const floorError = new EnvError("Invalid environment variable BCRYPT_COST: must be at least 12 in production");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the BCRYPT_COST floor", () => {
  it.each([
    ["production, unset", production, 12],
    ["production at the floor", { ...production, BCRYPT_COST: "12" }, 12],
    ["production above it", { ...production, BCRYPT_COST: "13" }, 13],
    ["development, low for speed", { NODE_ENV: "development", BCRYPT_COST: "4" }, 4],
    ["test, low for speed", { NODE_ENV: "test", BCRYPT_COST: "4" }, 4],
    // `next build` parses the environment too, but nothing is hashed while building.
    ["a production build", { NODE_ENV: "production", NEXT_PHASE: "phase-production-build", BCRYPT_COST: "4" }, 4],
  ] as Array<[string, Record<string, string>, number]>)("%s is accepted as %i", (_label, source, cost) => {
    expect(parseEnv(source).BCRYPT_COST).toBe(cost);
  });

  it.each(["11", "4"])("production refuses %s, naming the variable", (cost) => {
    expect(() => parseEnv({ ...production, BCRYPT_COST: cost })).toThrow(floorError);
  });

  it.each(["3", "16", "12.5", "twelve"])("any environment refuses %s", (cost) => {
    expect(() => parseEnv({ NODE_ENV: "development", BCRYPT_COST: cost })).toThrow(/^Invalid environment variable BCRYPT_COST: /);
  });
});

describe("password hashes", () => {
  const costOf = (hash: string) => Number(hash.split("$")[2]);

  it("are made at the configured cost and check only the right password", async () => {
    const hash = await hashPassword("a long enough passphrase");
    expect(costOf(hash)).toBe(env().BCRYPT_COST);
    expect(await verifyPassword("a long enough passphrase", hash)).toBe(true);
    expect(await verifyPassword("another passphrase", hash)).toBe(false);
  });

  it("the decoy check compares against a hash of the same cost, so a miss takes as long as a wrong password", async () => {
    const compare = vi.spyOn(bcrypt, "compare");
    await burnPasswordCheck("whatever was typed");
    await burnPasswordCheck("something else");
    expect(compare).toHaveBeenCalledTimes(2);
    const [typed, decoy] = compare.mock.calls[0]! as [string, string];
    expect(typed).toBe("whatever was typed");
    expect(costOf(decoy)).toBe(env().BCRYPT_COST);
    // One decoy hash, made once: the check is one bcrypt comparison, like a real account's.
    expect(compare.mock.calls[1]![1]).toBe(decoy);
  });
});
