import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listLinkedProviders } from "@/lib/auth/linking";
import { configuredOAuthProviders, oauthProviderNames, type OAuthProviderId } from "@/lib/auth/providers";
import { getViewer } from "@/lib/auth/viewer";
import { getProfile } from "@/lib/users/profile";
import { linkProviderAction, unlinkProviderAction } from "../actions";
import { ActionButton } from "../_components/action-button";
import { ConfirmAction } from "@/components/confirm-action";
import { PasswordForm } from "../_components/password-form";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Security settings" };

const providerName = (id: string) => oauthProviderNames[id as OAuthProviderId] ?? id;

export default async function SecurityPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/security");
  const [linked, profile] = await Promise.all([listLinkedProviders(viewer.userId), getProfile(viewer.userId)]);
  if (!profile) redirect("/sign-in");
  const linkedIds = new Set(linked.map((row) => row.provider));
  const available = configuredOAuthProviders().filter((provider) => !linkedIds.has(provider.id));
  const canUnlink = profile.hasPassword || linked.length > 1;
  return (
    <div className="space-y-6">
      <SettingsHeader active="security" />
      <Card>
        <CardHeader>
          <CardTitle>Password</CardTitle>
          <CardDescription>
            {profile.hasPassword
              ? "Changing your password signs you out everywhere else; this browser stays signed in."
              : "This account signs in with a provider and has no password."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {profile.hasPassword ? (
            <PasswordForm />
          ) : (
            <p className="max-w-prose text-sm">
              To add a password, sign out and choose{" "}
              <Link href="/forgot-password" className="font-medium text-primary underline underline-offset-4">
                Forgot password
              </Link>{" "}
              on the sign-in page: the emailed link proves the address is yours, then lets you set one. Setting it ends every
              session, this one included.
            </p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Linked accounts</CardTitle>
          <CardDescription>Providers you can sign in with. Keep at least one way to sign in.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <ul className="divide-y rounded-md border" aria-label="Linked providers">
            {linked.length === 0 && <li className="px-3 py-2 text-sm text-muted-foreground">No provider is linked. You sign in with your email and password.</li>}
            {linked.map((row) => (
              <li key={row.provider} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <span className="font-medium">{providerName(row.provider)}</span>
                {canUnlink ? (
                  <ConfirmAction
                    action={unlinkProviderAction}
                    input={{ provider: row.provider }}
                    trigger="Unlink"
                    triggerLabel={`Unlink ${providerName(row.provider)}`}
                    title={`Unlink ${providerName(row.provider)}?`}
                    description={`You will no longer be able to sign in with ${providerName(row.provider)} until you link it again.`}
                    successMessage={`${providerName(row.provider)} was unlinked.`}
                  />
                ) : (
                  <span className="text-xs text-muted-foreground">Your only way to sign in</span>
                )}
              </li>
            ))}
          </ul>
          {available.length > 0 && (
            <div className="flex flex-wrap gap-2">
              {available.map((provider) => (
                <ActionButton key={provider.id} action={linkProviderAction} input={{ provider: provider.id }}>
                  Link {provider.name}
                </ActionButton>
              ))}
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
