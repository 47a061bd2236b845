import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import LinkedIn from "next-auth/providers/linkedin";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { env } from "@/lib/env";
import {
  mapEntraProfile,
  mapGitHubProfile,
  mapGoogleProfile,
  mapLinkedInProfile,
  type GitHubEmail,
  type GitHubUser,
  type GitHubUserinfo,
} from "./provider-profiles";

export type OAuthProviderId = "google" | "github" | "linkedin" | "microsoft-entra-id";

export const oauthProviderNames: Record<OAuthProviderId, string> = {
  google: "Google",
  github: "GitHub",
  linkedin: "LinkedIn",
  "microsoft-entra-id": "Microsoft",
};

async function fetchGitHub<T>(url: string, accessToken: string | undefined): Promise<T> {
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "credit-portal" },
  });
  if (!response.ok) throw new Error(`GitHub ${new URL(url).pathname} answered ${response.status}`);
  return (await response.json()) as T;
}

function githubProvider(clientId: string, clientSecret: string): Provider {
  const base = env().AUTH_GITHUB_ENTERPRISE_URL;
  const apiBase = base ? `${base}/api/v3` : "https://api.github.com";
  return GitHub({
    clientId,
    clientSecret,
    enterprise: base ? { baseUrl: base } : undefined,
    allowDangerousEmailAccountLinking: true,
    userinfo: {
      url: `${apiBase}/user`,
      // Always read /user/emails: it is the only place GitHub says whether the address is verified.
      async request({ tokens }: { tokens: { access_token?: string } }) {
        const [user, emails] = await Promise.all([
          fetchGitHub<GitHubUser>(`${apiBase}/user`, tokens.access_token),
          fetchGitHub<GitHubEmail[]>(`${apiBase}/user/emails`, tokens.access_token),
        ]);
        return { user, emails } satisfies GitHubUserinfo;
      },
    },
    profile: (profile) => {
      const { user, emails } = profile as unknown as GitHubUserinfo;
      return mapGitHubProfile(user, emails);
    },
  });
}

/**
 * The OAuth providers whose variables are set.
 *
 * `allowDangerousEmailAccountLinking` is on for each of them, deliberately: without it Auth.js refuses
 * every sign-in whose email already has an account, and a user who signed up with a password could never
 * continue with Google. It is safe only with the two guards in front of it (lib/auth/linking.ts): the
 * signIn callback links by email only when the provider vouches for the address AND the account's own
 * address has been verified (never into an account someone may have planted with another person's email
 * before its owner arrived), and our adapter's getUserByEmail returns no unverified account, so nothing
 * that gets past the callback (a sign-up racing the sign-in) can be linked either.
 */
export function oauthProviders(): Provider[] {
  const config = env();
  const providers: Provider[] = [];
  if (config.AUTH_GOOGLE_ID && config.AUTH_GOOGLE_SECRET) {
    providers.push(
      Google({
        clientId: config.AUTH_GOOGLE_ID,
        clientSecret: config.AUTH_GOOGLE_SECRET,
        ...(config.AUTH_GOOGLE_ISSUER ? { issuer: config.AUTH_GOOGLE_ISSUER } : {}),
        allowDangerousEmailAccountLinking: true,
        profile: mapGoogleProfile,
      }),
    );
  }
  if (config.AUTH_GITHUB_ID && config.AUTH_GITHUB_SECRET) {
    providers.push(githubProvider(config.AUTH_GITHUB_ID, config.AUTH_GITHUB_SECRET));
  }
  if (config.AUTH_LINKEDIN_ID && config.AUTH_LINKEDIN_SECRET) {
    providers.push(
      LinkedIn({
        clientId: config.AUTH_LINKEDIN_ID,
        clientSecret: config.AUTH_LINKEDIN_SECRET,
        ...(config.AUTH_LINKEDIN_ISSUER ? { issuer: config.AUTH_LINKEDIN_ISSUER } : {}),
        allowDangerousEmailAccountLinking: true,
        profile: mapLinkedInProfile,
      }),
    );
  }
  if (config.AUTH_MICROSOFT_ENTRA_ID_ID && config.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    providers.push(
      MicrosoftEntraID({
        clientId: config.AUTH_MICROSOFT_ENTRA_ID_ID,
        clientSecret: config.AUTH_MICROSOFT_ENTRA_ID_SECRET,
        issuer: config.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
        allowDangerousEmailAccountLinking: true,
        profile: mapEntraProfile,
      }),
    );
  }
  return providers;
}

/** For the sign-in page and settings: the configured providers' ids and display names. */
export function configuredOAuthProviders(): Array<{ id: OAuthProviderId; name: string }> {
  return oauthProviders().map((provider) => {
    const id = (typeof provider === "function" ? provider() : provider).id as OAuthProviderId;
    return { id, name: oauthProviderNames[id] };
  });
}
