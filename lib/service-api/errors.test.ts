import pg from "pg";
import { describe, expect, it } from "vitest";
import { isUnavailableError } from "./errors";

describe("isUnavailableError", () => {
  it("recognises a database that cannot be reached", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 2000 });
    const error = await pool.query("select 1").catch((caught: unknown) => caught);
    await pool.end();
    expect(isUnavailableError(error)).toBe(true);
    expect(isUnavailableError({ cause: { code: "57P01" } })).toBe(true);
  });

  it("does not treat other failures as an outage", () => {
    expect(isUnavailableError(Object.assign(new Error("duplicate"), { code: "23505" }))).toBe(false);
    expect(isUnavailableError(new TypeError("x is undefined"))).toBe(false);
  });
});
