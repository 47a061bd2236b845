import type { Metadata } from "next";
import { KeyRoundIcon } from "lucide-react";
import { redirect } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getViewer } from "@/lib/auth/viewer";
import { grantableScopes, listApiKeys } from "@/lib/keys";
import { getOrganization } from "@/lib/orgs";
import { CreateKeyDialog } from "./_components/create-key-dialog";
import { KeysTable } from "./_components/keys-table";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/keys");
  const [organization, keys] = await Promise.all([getOrganization(viewer.organizationId), listApiKeys(viewer.organizationId)]);
  if (!organization) redirect("/sign-in");
  const scopes = grantableScopes(organization, viewer.role);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="text-sm text-muted-foreground">
            Keys let your applications call the data API. Each request is billed to {organization.name}.
          </p>
        </div>
        <CreateKeyDialog scopes={scopes} emailVerified={viewer.emailVerified} />
      </div>
      {!viewer.emailVerified && (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
          You cannot create or roll keys until you verify your email address: a key spends your organization&apos;s
          credits, so we need to know who holds it. Use the link we emailed you, or resend it from the banner above.
        </p>
      )}
      <Card>
        <CardContent className="pt-6">
          {keys.length === 0 ? (
            <EmptyState
              icon={KeyRoundIcon}
              title="No API keys yet"
              description="Create a key to start calling the data API. You will see the whole key once, right after you create it."
            />
          ) : (
            <KeysTable keys={keys} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
