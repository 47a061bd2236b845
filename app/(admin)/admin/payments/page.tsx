import type { Metadata } from "next";
import Link from "next/link";
import { ReceiptTextIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { TableCell, TableRow } from "@/components/ui/table";
import { paymentProviders, paymentStatuses, type PaymentProvider, type PaymentStatus } from "@/db/schema";
import { decodeTimeCursor, uuidPattern } from "@/lib/admin/cursor";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { listAllPayments, type PaymentFilters } from "@/lib/admin/payments";
import { formatCredits, formatDateTime, formatMoney } from "@/lib/format";
import { selectClass } from "../_components/labels";
import { Pager } from "../_components/pager";
import { firstValue, hrefWith, type SearchParams } from "../_components/search-params";

export const metadata: Metadata = { title: "All payments · Admin" };

const columns = [{ label: "Date (UTC)" }, { label: "Organization" }, { label: "Provider" }, { label: "Status" }, { label: "Credits", numeric: true }, { label: "Amount", numeric: true }, { label: "Refunded / disputed", numeric: true }, { label: "Credits taken back", numeric: true }];

/** Unknown values are ignored, so a hand-edited URL shows every payment instead of an error. */
function filtersOf(params: SearchParams): PaymentFilters {
  const provider = firstValue(params.provider);
  const status = firstValue(params.status);
  const organizationId = firstValue(params.org)?.trim();
  return {
    provider: paymentProviders.includes(provider as PaymentProvider) ? (provider as PaymentProvider) : undefined,
    status: paymentStatuses.includes(status as PaymentStatus) ? (status as PaymentStatus) : undefined,
    organizationId: organizationId && uuidPattern.test(organizationId) ? organizationId : undefined,
  };
}

export default async function AllPaymentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireBusinessAdmin("/admin/payments");
  const params = await searchParams;
  const filters = filtersOf(params);
  const after = decodeTimeCursor(firstValue(params.after));
  const { rows, next } = await listAllPayments(filters, { after });
  const filterQuery = { provider: filters.provider, status: filters.status, org: filters.organizationId };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">All payments</h1>
      <form method="get" action="/admin/payments" className="grid gap-3 sm:grid-cols-[10rem_12rem_1fr_auto] sm:items-end">
        <div className="grid gap-1.5">
          <Label htmlFor="filter-provider">Provider</Label>
          <select id="filter-provider" name="provider" defaultValue={filters.provider ?? ""} className={selectClass}>
            <option value="">Any</option>
            {paymentProviders.map((value) => <option key={value} value={value}>{value}</option>)}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-status">Status</Label>
          <select id="filter-status" name="status" defaultValue={filters.status ?? ""} className={selectClass}>
            <option value="">Any</option>
            {paymentStatuses.map((value) => <option key={value} value={value}>{value.replace("_", " ")}</option>)}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="filter-org">Organization id</Label>
          <Input id="filter-org" name="org" defaultValue={filters.organizationId} placeholder="Any organization" />
        </div>
        <Button type="submit">Filter</Button>
      </form>
      <TableCard title="Payments" columns={columns} rowCount={rows.length} empty={{ icon: ReceiptTextIcon, title: "No payments match", description: "Clear a filter to see more." }}>
        {rows.map(({ payment, organizationName }) => (
          <TableRow key={payment.id}>
            <TableCell className="whitespace-nowrap">{formatDateTime(payment.createdAt)}</TableCell>
            <TableCell>
              <Link href={`/admin/organizations/${payment.organizationId}`} className="rounded-sm underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring">
                {organizationName}
              </Link>
            </TableCell>
            <TableCell>{payment.provider}</TableCell>
            <TableCell>{payment.status.replace("_", " ")}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(payment.credits)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMoney(payment.amountCents, payment.currency)}</TableCell>
            <TableCell className="text-right tabular-nums whitespace-nowrap">
              {formatMoney(payment.refundedCents, payment.currency)} / {formatMoney(payment.disputedCents, payment.currency)}
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(payment.creditsReversed)}</TableCell>
          </TableRow>
        ))}
      </TableCard>
      <Pager label="Payment pages" firstHref={after ? hrefWith("/admin/payments", filterQuery) : undefined} nextHref={next ? hrefWith("/admin/payments", { ...filterQuery, after: next }) : undefined} nextLabel="Older payments" />
    </div>
  );
}
