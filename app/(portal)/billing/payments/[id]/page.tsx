import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getViewer } from "@/lib/auth/viewer";
import { formatCredits, formatDateTime, formatMoney } from "@/lib/format";
import { getPaymentDetails } from "@/lib/payments";
import { PaymentStatusBadge, providerLabels, reversalLabels, reversalStatusLabels } from "../../_components/payment-labels";
import { PrintButton } from "./_components/print-button";

export const metadata: Metadata = { title: "Receipt" };

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await getViewer();
  const { id } = await params;
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/billing/payments/${id}`)}`);
  // Another organization's payment is "not found", never "forbidden": its existence is not ours to reveal.
  const details = await getPaymentDetails(id, viewer.role === "business_admin" ? null : viewer.organizationId);
  if (!details) notFound();
  const { payment, organizationName, reversals } = details;
  const money = (cents: number) => formatMoney(cents, payment.currency);
  const creditsTakenBack = payment.creditsReversed - payment.creditsShortfall;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Button asChild variant="ghost">
          <Link href="/billing">← Back to billing</Link>
        </Button>
        <div className="flex flex-wrap gap-2">
          {payment.stripeInvoiceId && (
            <Button asChild variant="outline">
              <a href={`/billing/payments/${payment.id}/invoice`}>Stripe invoice</a>
            </Button>
          )}
          <PrintButton />
        </div>
      </div>
      <Card className="print:border-0 print:shadow-none">
        <CardHeader>
          <CardDescription>{organizationName}</CardDescription>
          <h1 className="text-2xl leading-none font-semibold tracking-tight">Receipt</h1>
        </CardHeader>
        <CardContent className="space-y-6">
          <dl className="space-y-3">
            <Field label="Payment ID">
              <span className="font-mono text-xs break-all">{payment.id}</span>
            </Field>
            <Field label="Date (UTC)">{formatDateTime(payment.createdAt)}</Field>
            {payment.completedAt && <Field label="Paid (UTC)">{formatDateTime(payment.completedAt)}</Field>}
            <Field label="Package">{payment.packageName || "—"}</Field>
            <Field label="Credits">{formatCredits(payment.credits)}</Field>
            <Field label="Amount">{money(payment.amountCents)}</Field>
            <Field label="Provider">{providerLabels[payment.provider]}</Field>
            <Field label="Status">
              <PaymentStatusBadge status={payment.status} />
            </Field>
            {payment.failureReason && (payment.status === "failed" || payment.status === "expired") && (
              <Field label="Reason">{payment.failureReason}</Field>
            )}
            {payment.refundedCents > 0 && <Field label="Refunded">{money(payment.refundedCents)}</Field>}
            {payment.disputedCents > 0 && <Field label="Held by disputes">{money(payment.disputedCents)}</Field>}
            {payment.creditsReversed > 0 && <Field label="Credits taken back">{formatCredits(creditsTakenBack)}</Field>}
            {payment.creditsShortfall > 0 && (
              <Field label="Shortfall">
                {formatCredits(payment.creditsShortfall)} credits could not be taken back because they had already been used.
              </Field>
            )}
          </dl>
          {reversals.length > 0 && (
            <section aria-labelledby="reversals-heading" className="space-y-2">
              <h2 id="reversals-heading" className="font-semibold">
                Refunds and disputes
              </h2>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Date (UTC)</TableHead>
                    <TableHead>Kind</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="text-right">Amount</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {reversals.map((reversal) => (
                    <TableRow key={reversal.id}>
                      <TableCell className="whitespace-nowrap">{formatDateTime(reversal.createdAt)}</TableCell>
                      <TableCell>{reversalLabels[reversal.kind]}</TableCell>
                      <TableCell>{reversal.kind === "refund" ? "Refunded" : reversalStatusLabels[reversal.status]}</TableCell>
                      <TableCell className="text-right tabular-nums">{money(reversal.amountCents)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </section>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
