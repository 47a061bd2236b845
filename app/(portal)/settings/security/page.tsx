import { eq } from "drizzle-orm";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { listLinkedProviders } from "@/lib/auth/linking";
import { configuredOAuthProviders, oauthProviderNames, type OAuthProviderId } from "@/lib/auth/providers";
import { getViewer } from "@/lib/auth/viewer";
import { linkProviderAction, unlinkProviderAction } from "../actions";
import { ActionButton } from "../_components/action-button";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Sign-in methods" };

export default async function SecurityPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/security");
  const [linked, [user]] = await Promise.all([
    listLinkedProviders(viewer.userId),
    db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, viewer.userId)),
  ]);
  const linkedIds = new Set(linked.map((row) => row.provider));
  const available = configuredOAuthProviders().filter((provider) => !linkedIds.has(provider.id));
  return (
    <div className="space-y-6">
      <SettingsHeader title="Sign-in methods" />
      <Card>
        <CardHeader>
          <CardTitle>Linked providers</CardTitle>
          <CardDescription>
            {user?.passwordHash ? "You can also sign in with your email and password." : "This account has no password; keep at least one provider linked."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="divide-y" aria-label="Linked providers">
            {linked.length === 0 && <li className="py-2 text-sm text-muted-foreground">No providers linked.</li>}
            {linked.map((row) => (
              <li key={row.provider} className="flex items-center justify-between py-2">
                <span>{oauthProviderNames[row.provider as OAuthProviderId] ?? row.provider}</span>
                <ActionButton action={unlinkProviderAction} input={{ provider: row.provider }}>
                  Unlink
                </ActionButton>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      {available.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>Link another provider</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-wrap gap-2">
            {available.map((provider) => (
              <ActionButton key={provider.id} action={linkProviderAction} input={{ provider: provider.id }}>
                Link {provider.name}
              </ActionButton>
            ))}
          </CardContent>
        </Card>
      )}
    </div>
  );
}
