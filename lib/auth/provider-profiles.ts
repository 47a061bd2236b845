/**
 * Maps each provider's profile to our user, including whether the provider vouches for the email address.
 * That flag decides whether a sign-in may attach to an existing user with the same email (see linking.ts).
 */

export type MappedProfile = {
  id: string;
  name: string | null;
  email: string;
  image: string | null;
  /** Read by our adapter's createUser and the signIn callback; never stored as a column. */
  emailVerifiedByProvider: boolean;
};

type OidcClaims = {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  preferred_username?: string;
  picture?: string;
  email_verified?: boolean | string;
  // Entra ID: the email's domain is verified by the tenant.
  xms_edov?: boolean | string;
};

const isTrue = (value: unknown) => value === true || value === "true";

function displayName(claims: OidcClaims) {
  const joined = [claims.given_name, claims.family_name].filter(Boolean).join(" ");
  return claims.name ?? (joined || null);
}

export function mapGoogleProfile(claims: OidcClaims): MappedProfile {
  return {
    id: claims.sub,
    name: displayName(claims),
    email: claims.email ?? "",
    image: claims.picture ?? null,
    emailVerifiedByProvider: isTrue(claims.email_verified),
  };
}

/** LinkedIn's OpenID Connect userinfo: sub, name, given/family name, picture, email, email_verified, locale. */
export function mapLinkedInProfile(claims: OidcClaims): MappedProfile {
  return mapGoogleProfile(claims);
}

/** Entra ID tokens carry the address in `email` or, for work accounts, `preferred_username`. */
export function mapEntraProfile(claims: OidcClaims): MappedProfile {
  return {
    id: claims.sub,
    name: displayName(claims),
    email: claims.email ?? claims.preferred_username ?? "",
    // The photo lives behind Microsoft Graph; fetching it on every sign-in is not worth a network call.
    image: null,
    emailVerifiedByProvider: isTrue(claims.email_verified) || isTrue(claims.xms_edov),
  };
}

export type GitHubUser = { id: number; login: string; name?: string | null; avatar_url?: string | null };
export type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/** GitHub's /user plus /user/emails: the primary address, and whether GitHub verified it. */
export function mapGitHubProfile(user: GitHubUser, emails: GitHubEmail[]): MappedProfile {
  const primary = emails.find((entry) => entry.primary) ?? emails.find((entry) => entry.verified) ?? emails[0];
  return {
    id: String(user.id),
    name: user.name ?? user.login,
    email: primary?.email ?? "",
    image: user.avatar_url ?? null,
    emailVerifiedByProvider: Boolean(primary?.verified),
  };
}
