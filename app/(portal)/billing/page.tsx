import type { Metadata } from "next";
import { ReceiptTextIcon } from "lucide-react";
import { redirect } from "next/navigation";
import { TableCard } from "@/components/table-card";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { TableCell, TableRow } from "@/components/ui/table";
import { getViewer } from "@/lib/auth/viewer";
import { getBalance } from "@/lib/credits";
import { testPaymentsEnabled } from "@/lib/env";
import { formatCredits, formatDateTime, formatMoney } from "@/lib/format";
import { listActiveCreditPackages, listPayments } from "@/lib/payments";
import { BuyPackageButton } from "./_components/buy-package-button";

export const metadata: Metadata = { title: "Billing" };


export default async function BillingPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/billing");
  const [balance, packages, { payments: history }] = await Promise.all([
    getBalance(viewer.organizationId),
    listActiveCreditPackages(),
    listPayments(viewer.organizationId),
  ]);
  const canBuy = viewer.role !== "user";
  const testPayments = testPaymentsEnabled();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <p className="text-sm text-muted-foreground">
          Balance: <span data-testid="billing-balance">{formatCredits(balance ?? 0)}</span> credits
        </p>
      </div>
      {!canBuy && <p className="text-sm text-muted-foreground">Only your organization&apos;s admins can buy credits.</p>}
      {canBuy && !viewer.emailVerified && (
        <p className="text-sm text-muted-foreground">Verify your email address to buy credits.</p>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        {packages.map((pack) => (
          <Card key={pack.id}>
            <CardHeader>
              <CardTitle>{pack.name}</CardTitle>
              <CardDescription>{formatCredits(pack.credits)} credits</CardDescription>
            </CardHeader>
            <CardContent className="text-2xl font-semibold">{formatMoney(pack.priceCents, pack.currency)}</CardContent>
            {/* Shown to unverified admins too: the server refuses them with the reason, next to the button. */}
            {canBuy && testPayments && (
              <CardFooter>
                <BuyPackageButton packageId={pack.id} packageName={pack.name} />
              </CardFooter>
            )}
          </Card>
        ))}
      </div>
      {testPayments && (
        <p className="text-xs text-muted-foreground">
          Test payments complete immediately and charge nothing. They are available only on development deployments.
        </p>
      )}
      <TableCard
        title="Payment history"
        columns={[
          { label: "When (UTC)" },
          { label: "Package" },
          { label: "Provider" },
          { label: "Status" },
          { label: "Credits", numeric: true },
          { label: "Amount", numeric: true },
        ]}
        empty={{ icon: ReceiptTextIcon, title: "No payments yet", description: "Purchases will appear here." }}
        rowCount={history.length}
      >
        {history.map((payment) => (
          <TableRow key={payment.id}>
            <TableCell>{formatDateTime(payment.createdAt)}</TableCell>
            <TableCell>{payment.packageName ?? "—"}</TableCell>
            <TableCell>{payment.provider}</TableCell>
            <TableCell>
              <Badge variant={payment.status === "completed" ? "success" : "secondary"}>{payment.status}</Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(payment.credits)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMoney(payment.amountCents, payment.currency)}</TableCell>
          </TableRow>
        ))}
      </TableCard>
    </div>
  );
}
