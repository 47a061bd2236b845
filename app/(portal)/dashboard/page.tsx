import type { Metadata } from "next";
import { ReceiptTextIcon } from "lucide-react";
import { redirect } from "next/navigation";
import { TableCard } from "@/components/table-card";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TableCell, TableRow } from "@/components/ui/table";
import { getViewer } from "@/lib/auth/viewer";
import { getBalance, listLedgerEntries } from "@/lib/credits";
import { getOrganization } from "@/lib/orgs";
import { formatCredits, formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/dashboard");
  const [organization, balance, entries] = await Promise.all([
    getOrganization(viewer.organizationId),
    getBalance(viewer.organizationId),
    listLedgerEntries(viewer.organizationId, { limit: 10 }),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{organization?.name}</h1>
        <p className="text-sm text-muted-foreground">Signed in as {viewer.email}</p>
      </div>
      <Card>
        <CardHeader>
          <CardDescription>Credit balance</CardDescription>
          <CardTitle className="text-3xl" data-testid="credit-balance">
            {formatCredits(balance ?? 0)} credits
          </CardTitle>
        </CardHeader>
      </Card>
      <TableCard
        title="Recent activity"
        columns={[{ label: "When (UTC)" }, { label: "Reason" }, { label: "Credits", numeric: true }, { label: "Balance after", numeric: true }]}
        empty={{ icon: ReceiptTextIcon, title: "No credit activity yet", description: "Purchases, grants and usage will appear here." }}
        rowCount={entries.length}
      >
        {entries.map((entry) => (
          <TableRow key={entry.id}>
            <TableCell>{formatDateTime(entry.createdAt)}</TableCell>
            <TableCell>{entry.reason}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(entry.delta)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(entry.balanceAfter)}</TableCell>
          </TableRow>
        ))}
      </TableCard>
    </div>
  );
}
