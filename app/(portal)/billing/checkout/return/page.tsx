import type { Metadata } from "next";
import { CheckCircle2Icon, ClockIcon, XCircleIcon } from "lucide-react";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardFooter, CardHeader } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/viewer";
import { formatCredits } from "@/lib/format";
import { PaymentError } from "@/lib/payments";
import { completeCheckoutReturn, type CheckoutReturn } from "@/lib/payments/stripe/checkout-session";
import { firstValue, type SearchParamValue } from "../../_components/billing-search-params";
import { CheckoutPendingRefresh } from "./_components/checkout-pending-refresh";

export const metadata: Metadata = { title: "Payment" };

/** Fulfils the Session here too, so the credits show even when Stripe's webhook is late. */
async function checkoutResult(sessionId: string, viewer: { organizationId: string; role: string }): Promise<CheckoutReturn | null> {
  try {
    return await completeCheckoutReturn(sessionId, { organizationId: viewer.organizationId, anyOrganization: viewer.role === "business_admin" });
  } catch (error) {
    // Another organization's Session is "not found", exactly like one that never existed.
    if (error instanceof PaymentError && (error.code === "not_found" || error.code === "provider_not_configured")) return null;
    throw error;
  }
}

function Outcome({ icon, title, children, links }: { icon: React.ReactNode; title: string; children: React.ReactNode; links: React.ReactNode }) {
  return (
    <Card className="mx-auto max-w-xl">
      <CardHeader className="flex-row items-center gap-3">
        {icon}
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      </CardHeader>
      <CardContent className="space-y-3">{children}</CardContent>
      <CardFooter className="flex flex-wrap gap-2">{links}</CardFooter>
    </Card>
  );
}

export default async function CheckoutReturnPage({ searchParams }: { searchParams: Promise<{ session_id?: SearchParamValue }> }) {
  const viewer = await getViewer();
  const sessionId = firstValue((await searchParams).session_id);
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/billing/checkout/return?session_id=${sessionId ?? ""}`)}`);
  if (!sessionId) notFound();
  const result = await checkoutResult(sessionId, viewer);
  if (!result) notFound();
  const receipt = (
    <Button asChild variant="outline">
      <Link href={`/billing/payments/${result.paymentId}`}>View receipt</Link>
    </Button>
  );
  const back = (
    <Button asChild>
      <Link href="/billing">Back to billing</Link>
    </Button>
  );

  if (result.status === "pending") {
    return (
      <Outcome icon={<ClockIcon className="size-6 text-amber-600" aria-hidden="true" />} title="Payment received, adding credits…" links={back}>
        <p className="text-sm">
          Stripe has your payment and is confirming it. {formatCredits(result.credits)} credits are added as soon as it does.
        </p>
        <CheckoutPendingRefresh />
      </Outcome>
    );
  }
  if (result.status === "failed" || result.status === "expired") {
    return (
      <Outcome icon={<XCircleIcon className="size-6 text-destructive" aria-hidden="true" />} title="Payment not completed" links={back}>
        <p className="text-sm">The payment did not go through, so no credits were added. You can try again from the billing page.</p>
      </Outcome>
    );
  }
  // Completed, or already (partly) refunded by the time the buyer came back: either way the credits were added.
  return (
    <Outcome
      icon={<CheckCircle2Icon className="size-6 text-emerald-600" aria-hidden="true" />}
      title="Payment received"
      links={
        <>
          {back}
          {receipt}
        </>
      }
    >
      <p className="text-sm">
        <strong data-testid="checkout-credits">{formatCredits(result.credits)}</strong> credits were added to your organization.
      </p>
      <p className="text-sm">
        Your balance is now <strong data-testid="checkout-balance">{formatCredits(result.balance)}</strong> credits. We have emailed a receipt.
      </p>
    </Outcome>
  );
}
