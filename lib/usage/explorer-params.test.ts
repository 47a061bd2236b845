import { describe, expect, it } from "vitest";
import {
  decodeUsageCursor,
  defaultRange,
  encodeUsageCursor,
  parseUsageView,
  unknownKeyMessage,
  usageExportHref,
  usageViewHref,
  type UsageCursor,
} from "./explorer-params";

const now = new Date("2026-03-15T18:30:00Z");
const id = "0b9c6f1e-8d2a-4c3b-9e7f-1a2b3c4d5e6f";

describe("usage cursors", () => {
  const cursors: Array<[UsageCursor, "time" | "credits"]> = [
    [{ side: "after", value: "2026-03-01T10:00:00.123456Z", id }, "time"],
    [{ side: "before", value: "2020-01-01T00:00:00.000000Z", id }, "time"],
    [{ side: "after", value: "7", id }, "credits"],
    [{ side: "before", value: "2147483647", id }, "credits"],
  ];

  it.each(cursors)("round-trips %o", (cursor, sort) => {
    expect(decodeUsageCursor(encodeUsageCursor(cursor), sort)).toEqual(cursor);
  });

  it("refuses a cursor of the other sort", () => {
    expect(decodeUsageCursor(encodeUsageCursor({ side: "after", value: "7", id }), "time")).toBeUndefined();
    expect(decodeUsageCursor(encodeUsageCursor(cursors[0]![0]), "credits")).toBeUndefined();
  });

  it.each([
    "",
    "garbage",
    `x_7_${id}`,
    `a_7_not-a-uuid`,
    `a_07_${id}`,
    `a_0_${id}`,
    `a_2147483648_${id}`,
    `a_99999999999999999999_${id}`,
    `a_-1_${id}`,
    `a_7_${id}_extra`,
    `a_7\0_${id}`,
    `a_2026-02-30T10:00:00.000000Z_${id}`,
    `a_2026-03-01T25:00:00.000000Z_${id}`,
    `a_2026-03-01T10:00:00.123Z_${id}`,
    `a_7_${id}${"f".repeat(100)}`,
  ])("refuses %j", (text) => {
    expect(decodeUsageCursor(text, "credits") ?? decodeUsageCursor(text, "time")).toBeUndefined();
  });
});

describe("parseUsageView", () => {
  it("defaults to the last 30 UTC days, newest first", () => {
    const { view, issues } = parseUsageView({}, now);
    expect(view).toEqual({ filter: { from: "2026-02-14", to: "2026-03-15" }, sort: "time", dir: "desc", cursor: undefined });
    expect(issues).toEqual({});
  });

  it("reads every filter, the first of repeated values, and a cursor of its sort", () => {
    const cursor = encodeUsageCursor({ side: "before", value: "12", id });
    const { view, issues } = parseUsageView(
      { from: ["2026-01-01", "2025-01-01"], to: "2026-03-16", keyId: id.toUpperCase(), endpoint: "/v1/query", sort: "credits", dir: "asc", cursor },
      now,
    );
    expect(issues).toEqual({});
    expect(view).toEqual({
      filter: { from: "2026-01-01", to: "2026-03-16", keyId: id, endpoint: "/v1/query" },
      sort: "credits",
      dir: "asc",
      cursor: { side: "before", value: "12", id },
    });
  });

  it.each([
    [{ from: "2026-13-01" }, "from", "Enter a date as YYYY-MM-DD."],
    [{ from: "2026-02-29" }, "from", "Enter a date as YYYY-MM-DD."],
    [{ to: "yesterday" }, "to", "Enter a date as YYYY-MM-DD."],
    [{ from: "2019-12-31" }, "from", "Choose a day from 2020-01-01 to 2026-03-16."],
    [{ to: "2026-03-17" }, "to", "Choose a day from 2020-01-01 to 2026-03-16."],
    [{ from: "2026-03-10", to: "2026-03-01" }, "to", "The end date is before the start date; showing the last 30 days."],
    [{ keyId: "not-a-uuid" }, "keyId", unknownKeyMessage],
    [{ keyId: `${id}\0` }, "keyId", unknownKeyMessage],
    [{ endpoint: "/v1/\0query" }, "endpoint", "That endpoint cannot exist; showing every endpoint."],
    [{ endpoint: "x".repeat(201) }, "endpoint", "That endpoint cannot exist; showing every endpoint."],
    [{ cursor: "garbage" }, "cursor", "That page link is not valid; showing the first page."],
  ])("%j falls back to the default with a message on %s", (params, field, message) => {
    const { view, issues } = parseUsageView(params, now);
    expect(issues).toEqual({ [field]: message });
    expect(view.filter).toEqual(defaultRange(now));
    expect(view.cursor).toBeUndefined();
  });

  it("ignores unknown sorts and directions", () => {
    const { view, issues } = parseUsageView({ sort: "balance", dir: "sideways" }, now);
    expect([view.sort, view.dir, issues]).toEqual(["time", "desc", {}]);
  });
});

describe("view links", () => {
  const defaults = defaultRange(now);

  it("leaves the defaults out and round-trips the rest", () => {
    expect(usageViewHref(parseUsageView({}, now).view, defaults)).toBe("/usage");
    const params = { from: "2026-01-01", to: "2026-01-31", keyId: id, endpoint: "/v1/a b", sort: "credits", dir: "asc", cursor: `a_5_${id}` };
    const href = usageViewHref(parseUsageView(params, now).view, defaults);
    const reparsed = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(reparsed).toEqual(params);
  });

  it("asks the export for [from 00:00, the day after to 00:00)", () => {
    expect(usageExportHref({ from: "2026-02-01", to: "2026-02-28", endpoint: "/v1/query" })).toBe(
      "/api/usage/export?from=2026-02-01T00%3A00%3A00Z&to=2026-03-01T00%3A00%3A00Z&endpoint=%2Fv1%2Fquery",
    );
  });
});
