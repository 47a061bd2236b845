import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { getViewer } from "@/lib/auth/viewer";
import { getBalance, listLedgerEntries } from "@/lib/credits";
import { env, paypalConfigured, stripeConfigured, testPaymentsEnabled } from "@/lib/env";
import { formatCredits } from "@/lib/format";
import { decodePaymentCursor, listActiveCreditPackages, listPayments } from "@/lib/payments";
import { firstValue, parseLedgerCursor, type BillingCursors, type SearchParamValue } from "./_components/billing-search-params";
import { CreditMovements } from "./_components/credit-movements";
import { PaymentHistory } from "./_components/payment-history";
import { PurchaseSection, type PurchaseProviders } from "./_components/purchase-section";

export const metadata: Metadata = { title: "Billing" };

const paymentsPerPage = 10;
const movementsPerPage = 20;

type BillingSearchParams = Promise<{ checkout?: SearchParamValue; payments?: SearchParamValue; ledger?: SearchParamValue }>;

function purchaseProviders(): PurchaseProviders {
  return {
    stripe: stripeConfigured(),
    paypalClientId: paypalConfigured() ? env().NEXT_PUBLIC_PAYPAL_CLIENT_ID : undefined,
    test: testPaymentsEnabled(),
  };
}

export default async function BillingPage({ searchParams }: { searchParams: BillingSearchParams }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/billing");
  const query = await searchParams;
  const paymentCursor = decodePaymentCursor(firstValue(query.payments));
  const ledgerCursor = parseLedgerCursor(query.ledger);
  // Only a cursor that parsed is carried into the links, so a mangled URL falls back to the first page.
  const cursors: BillingCursors = { payments: paymentCursor ? firstValue(query.payments) : undefined, ledger: ledgerCursor };
  const [balance, packages, history, entries] = await Promise.all([
    getBalance(viewer.organizationId),
    listActiveCreditPackages(),
    listPayments(viewer.organizationId, { limit: paymentsPerPage, after: paymentCursor }),
    // One more than a page, to know whether an older page exists without a count.
    listLedgerEntries(viewer.organizationId, { limit: movementsPerPage + 1, before: ledgerCursor }),
  ]);
  const canBuy = can(viewer.role, "credits.buy");
  return (
    <div className="space-y-8">
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        {firstValue(query.checkout) === "cancelled" && (
          <p role="status" className="rounded-md border bg-muted/50 p-3 text-sm">
            Checkout was cancelled. Nothing was charged.
          </p>
        )}
        <Card>
          <CardHeader>
            <CardDescription>Current balance</CardDescription>
            <CardTitle className="text-3xl tabular-nums">
              <span data-testid="billing-balance">{formatCredits(balance ?? 0)}</span> credits
            </CardTitle>
          </CardHeader>
        </Card>
        {canBuy && !viewer.emailVerified && (
          <p role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
            Verify your email address to buy credits. Use the link we emailed you, or resend it from the banner above.
          </p>
        )}
        {!canBuy && (
          <p role="note" className="text-sm text-muted-foreground">
            Only your organization&apos;s admins can buy credits. Ask an admin to add more when you need them.
          </p>
        )}
      </div>
      {canBuy && <PurchaseSection packages={packages} providers={purchaseProviders()} />}
      <PaymentHistory payments={history.payments} next={history.next} cursors={cursors} />
      <CreditMovements entries={entries.slice(0, movementsPerPage)} hasOlder={entries.length > movementsPerPage} cursors={cursors} />
    </div>
  );
}
