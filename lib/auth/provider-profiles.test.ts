import { expect, test } from "vitest";
import { mapEntraProfile, mapGitHubProfile, mapLinkedInProfile } from "./provider-profiles";

test("LinkedIn's OpenID userinfo maps to our user with its verified flag", () => {
  expect(
    mapLinkedInProfile({
      sub: "782bbtaQ",
      name: "Ada Lovelace",
      given_name: "Ada",
      family_name: "Lovelace",
      picture: "https://media.licdn.com/ada.jpg",
      email: "ada@example.com",
      email_verified: true,
    }),
  ).toEqual({ id: "782bbtaQ", name: "Ada Lovelace", email: "ada@example.com", image: "https://media.licdn.com/ada.jpg", emailVerifiedByProvider: true });
  expect(mapLinkedInProfile({ sub: "x", given_name: "Ada", family_name: "L", email: "a@example.com" })).toMatchObject({
    name: "Ada L",
    emailVerifiedByProvider: false,
  });
});

test("Entra falls back to preferred_username and trusts xms_edov", () => {
  expect(mapEntraProfile({ sub: "s", preferred_username: "w@corp.example", xms_edov: true })).toMatchObject({
    email: "w@corp.example",
    emailVerifiedByProvider: true,
  });
});

test("GitHub uses the primary address and its verified flag", () => {
  const profile = mapGitHubProfile({ id: 42, login: "octo" }, [
    { email: "old@example.com", primary: false, verified: true },
    { email: "main@example.com", primary: true, verified: false },
  ]);
  expect(profile).toMatchObject({ id: "42", name: "octo", email: "main@example.com", emailVerifiedByProvider: false });
});
