import type { Metadata } from "next";
import { ReceiptTextIcon } from "lucide-react";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
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
      <Card>
        <CardHeader>
          <CardTitle>Recent activity</CardTitle>
        </CardHeader>
        <CardContent>
          {entries.length === 0 ? (
            <EmptyState icon={ReceiptTextIcon} title="No credit activity yet" description="Purchases, grants and usage will appear here." />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>When (UTC)</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead className="text-right">Credits</TableHead>
                  <TableHead className="text-right">Balance after</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {entries.map((entry) => (
                  <TableRow key={entry.id}>
                    <TableCell>{formatDateTime(entry.createdAt)}</TableCell>
                    <TableCell>{entry.reason}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(entry.delta)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(entry.balanceAfter)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
