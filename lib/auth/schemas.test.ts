import { expect, test } from "vitest";
import { signUpSchema } from "./schemas";

test("sign-up rejects short and common passwords and bad emails, and normalises the email", () => {
  expect(signUpSchema.safeParse({ name: "A", email: "a@example.com", password: "short" }).success).toBe(false);
  expect(signUpSchema.safeParse({ name: "A", email: "a@example.com", password: "Password123" }).success).toBe(false);
  expect(signUpSchema.safeParse({ name: "A", email: "nope", password: "a long enough passphrase" }).success).toBe(false);
  const ok = signUpSchema.safeParse({ name: " A ", email: " A@Example.com ", password: "a long enough passphrase" });
  expect(ok.success && ok.data).toEqual({ name: "A", email: "a@example.com", password: "a long enough passphrase" });
});
