import { describe, expect, it } from "vitest";
import { profileSchema, signUpSchema } from "@/lib/auth/schemas";
import { createKeySchema, keyNameSchema } from "@/lib/keys/schemas";
import { isStorableText, safeText, unsafeTextMessage } from "./text";

// Postgres refuses a NUL in text ("invalid byte sequence"), and stores an unpaired surrogate as U+FFFD.
const unstorable = ["bad\u0000name", "x-\ud800", "\udc00 first", "pair reversed \udc00\ud800", "ends high \udbff"];
const controls = ["tab\there", "line\nbreak", "bell\u0007", "delete\u007f"];
const fine = ["Production", "Zoë Ångström", "emoji 🔑 ok", "北京 office", "a 👩‍💻 b"];

describe("safeText", () => {
  it.each(unstorable)("refuses text Postgres cannot store exactly: %j", (value) => {
    expect(isStorableText(value)).toBe(false);
    expect(safeText().safeParse(value).error?.issues[0]?.message).toBe(unsafeTextMessage);
  });

  it.each(controls)("refuses control characters in a one-line name: %j", (value) => {
    expect(isStorableText(value)).toBe(true);
    expect(safeText().safeParse(value).success).toBe(false);
  });

  it.each(fine)("accepts letters, emoji and scripts of every language: %j", (value) => {
    expect(isStorableText(value)).toBe(true);
    expect(safeText().safeParse(value)).toEqual({ success: true, data: value });
  });

  it("trims first, so surrounding blanks and line breaks are not an error", () => {
    expect(safeText().parse("  Production \n")).toBe("Production");
  });
});

describe("every name field uses it, in the browser and on the server", () => {
  const nameFields = {
    "API key name": (name: string) => keyNameSchema.safeParse(name),
    "create key form": (name: string) => createKeySchema.safeParse({ name, scopes: ["query"] }),
    "profile name": (name: string) => profileSchema.safeParse({ name }),
    "sign-up name": (name: string) => signUpSchema.safeParse({ name, email: "a@example.test", password: "a long unusual passphrase" }),
  };

  it.each(Object.entries(nameFields))("%s: a NUL or an unpaired surrogate is a field error on the name", (_label, parse) => {
    for (const value of [...unstorable, ...controls]) {
      const result = parse(value);
      expect(result.success).toBe(false);
      expect(result.error!.issues).toContainEqual(expect.objectContaining({ message: unsafeTextMessage }));
      expect(result.error!.issues.every((issue) => issue.path.length === 0 || issue.path[0] === "name")).toBe(true);
    }
    for (const value of fine) expect(parse(value).success).toBe(true);
  });
});
