import { describe, expect, it } from "vitest";
// Beside the sign-in actions that use it; tested here because the unit project collects lib/**.
import { safeCallbackUrl } from "@/app/(auth)/callback-url";

const fallback = "/dashboard";

// Each of these is, or becomes in a browser or after one more decode, a URL on another host or a script.
const refused: Array<[label: string, value: string | null | undefined]> = [
  ["nothing", undefined],
  ["null", null],
  ["empty", ""],
  ["protocol-relative", "//evil.example"],
  ["a backslash after the slash (browsers read it as /)", "/\\evil.example"],
  ["two backslashes", "/\\\\evil.example"],
  ["an absolute URL", "https://evil.example"],
  ["an absolute URL on our own path", "https://evil.example/dashboard"],
  ["a scheme", "javascript:alert(1)"],
  ["a scheme after a slash-less path", "javascript://%0Aalert(1)"],
  ["encoded slashes", "/%2F%2Fevil.example"],
  ["lower-case encoded slashes", "/%2f%2fevil.example"],
  ["an encoded backslash", "/%5Cevil.example"],
  ["encoded slashes without the leading one", "%2F%2Fevil.example"],
  ["doubly encoded slashes", "/%252F%252Fevil.example"],
  ["a tab between the slashes (browsers drop it)", "/\t/evil.example"],
  ["a newline between the slashes", "/\n/evil.example"],
  ["a carriage return between the slashes", "/\r/evil.example"],
  ["an encoded tab between the slashes", "/%09/evil.example"],
  ["a NUL", "/dash\u0000board"],
  ["a dot segment that leaves two slashes", "/.//evil.example"],
  ["a malformed escape", "/%E0%A4%A"],
];

const kept = ["/", "/dashboard", "/keys", "/settings/security", "/usage?from=2026-01-01&to=2026-02-01&keyId=abc", "/billing#history", "/usage?endpoint=%2Fv1%2Fquery"];

describe("safeCallbackUrl", () => {
  it.each(refused)("refuses %s", (_label, value) => {
    expect(safeCallbackUrl(value)).toBe(fallback);
  });

  it.each(kept)("keeps the same-site path %s", (value) => {
    expect(safeCallbackUrl(value)).toBe(value);
  });
});
