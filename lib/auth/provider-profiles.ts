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

/** What our GitHub userinfo request returns (lib/auth/providers.ts): /user and /user/emails together. */
export type GitHubUserinfo = { user: GitHubUser; emails: GitHubEmail[] };

/**
 * Maps a raw profile as Auth.js hands it to its events (ID-token claims, or GitHub's userinfo pair), for
 * sign-ins of an already linked identity, where the signIn callback sees our user rather than the mapped one.
 */
export function mapProviderProfile(provider: string, profile: unknown): MappedProfile | null {
  if (!profile || typeof profile !== "object") return null;
  switch (provider) {
    case "google":
      return mapGoogleProfile(profile as OidcClaims);
    case "linkedin":
      return mapLinkedInProfile(profile as OidcClaims);
    case "microsoft-entra-id":
      return mapEntraProfile(profile as OidcClaims);
    case "github": {
      const { user, emails } = profile as Partial<GitHubUserinfo>;
      return user && Array.isArray(emails) ? mapGitHubProfile(user, emails) : null;
    }
    default:
      return null;
  }
}
