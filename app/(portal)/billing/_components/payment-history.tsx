import Link from "next/link";
import { ReceiptTextIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { TableCell, TableRow } from "@/components/ui/table";
import type { Payment } from "@/db/schema";
import { formatCredits, formatDateTime, formatMoney } from "@/lib/format";
import { billingHref, type BillingCursors } from "./billing-search-params";
import { PaymentStatusBadge, providerLabels } from "./payment-labels";
import { TablePager } from "./table-pager";

type PaymentHistoryProps = {
  payments: Payment[];
  /** The cursor of the next, older page, when there is one. */
  next?: string;
  /** Where both tables are now, so that paging this one keeps the ledger's page. */
  cursors: BillingCursors;
};

const linkClass = "rounded-sm font-medium underline underline-offset-4 outline-none focus-visible:ring-2 focus-visible:ring-ring";

const columns = [
  { label: "Date (UTC)" },
  { label: "Package" },
  { label: "Credits", numeric: true },
  { label: "Amount", numeric: true },
  { label: "Provider" },
  { label: "Status" },
  { label: "Refunded", numeric: true },
  { label: "Invoice" },
  { label: "Receipt" },
];

function PaymentRow({ payment }: { payment: Payment }) {
  const when = formatDateTime(payment.createdAt);
  // Money a dispute holds is gone from the customer's side as surely as a refund, so both count here.
  const returnedCents = payment.refundedCents + payment.disputedCents;
  const which = <span className="sr-only"> for the {payment.packageName || "credit"} payment of {when}</span>;
  return (
    <TableRow data-testid="payment-row">
      <TableCell className="whitespace-nowrap">{when}</TableCell>
      <TableCell>{payment.packageName || "—"}</TableCell>
      <TableCell className="text-right tabular-nums">{formatCredits(payment.credits)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatMoney(payment.amountCents, payment.currency)}</TableCell>
      <TableCell className="whitespace-nowrap">{providerLabels[payment.provider]}</TableCell>
      <TableCell>
        <PaymentStatusBadge status={payment.status} />
      </TableCell>
      <TableCell className="text-right tabular-nums">{returnedCents > 0 ? formatMoney(returnedCents, payment.currency) : "—"}</TableCell>
      <TableCell>
        {payment.stripeInvoiceId ? (
          // A route that redirects to Stripe's hosted invoice: a plain link, not a client-side navigation.
          <a href={`/billing/payments/${payment.id}/invoice`} className={linkClass}>
            Invoice{which}
          </a>
        ) : (
          "—"
        )}
      </TableCell>
      <TableCell>
        <Link href={`/billing/payments/${payment.id}`} prefetch={false} className={linkClass}>
          Receipt{which}
        </Link>
      </TableCell>
    </TableRow>
  );
}

export function PaymentHistory({ payments, next, cursors }: PaymentHistoryProps) {
  const paged = Boolean(cursors.payments);
  return (
    <section id="payments" aria-label="Payment history" className="scroll-mt-20 space-y-3">
      <TableCard
        title="Payment history"
        columns={columns}
        empty={
          paged
            ? { icon: ReceiptTextIcon, title: "No older payments", description: "You have reached the first payment." }
            : { icon: ReceiptTextIcon, title: "No payments yet", description: "Purchases will appear here." }
        }
        rowCount={payments.length}
      >
        {payments.map((payment) => (
          <PaymentRow key={payment.id} payment={payment} />
        ))}
      </TableCard>
      <TablePager
        label="Payment history pages"
        newestHref={paged ? billingHref({ ...cursors, payments: undefined }, "payments") : undefined}
        olderHref={next ? billingHref({ ...cursors, payments: next }, "payments") : undefined}
        olderLabel="Older payments"
      />
    </section>
  );
}
