import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { listLedgerEntries } from "@/lib/credits";
import { uuidPattern } from "@/lib/admin/cursor";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { countActiveKeys, getUsageSummary, listOrganizationMembers } from "@/lib/admin/organizations";
import { formatCredits, formatDateTime } from "@/lib/format";
import { getOrganization } from "@/lib/orgs";
import { decodePaymentCursor, listPayments } from "@/lib/payments";
import { StateBadge } from "../../_components/labels";
import { Pager } from "../../_components/pager";
import { firstValue, hrefWith, idCursor, type SearchParams } from "../../_components/search-params";
import { AdjustCreditsForm } from "./_components/adjust-credits-form";
import { LedgerTable, MembersTable, PaymentsTable } from "./_components/organization-tables";
import { OrganizationStateButton } from "./_components/organization-state-button";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

async function organizationOf(params: Props["params"]) {
  const { id } = await params;
  return uuidPattern.test(id) ? getOrganization(id) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const organization = await organizationOf(params);
  return { title: `${organization?.name ?? "Organization"} · Admin` };
}

const ledgerPage = 20;

export default async function OrganizationPage({ params, searchParams }: Props) {
  const { id } = await params;
  await requireBusinessAdmin(`/admin/organizations/${id}`);
  const organization = await organizationOf(params);
  if (!organization) notFound();
  const query = await searchParams;
  const paymentCursor = decodePaymentCursor(firstValue(query.payments));
  const ledgerCursor = idCursor(query.ledger);
  const [members, usage, activeKeys, history, entries] = await Promise.all([
    listOrganizationMembers(organization.id),
    getUsageSummary(organization.id),
    countActiveKeys(organization.id),
    listPayments(organization.id, { limit: 10, after: paymentCursor }),
    listLedgerEntries(organization.id, { limit: ledgerPage + 1, before: ledgerCursor }),
  ]);
  const path = `/admin/organizations/${organization.id}`;
  const disabled = organization.disabledAt !== null;
  const shown = entries.slice(0, ledgerPage);
  const stats = [
    { label: "Balance", value: `${formatCredits(organization.balance)} credits`, testId: "admin-org-balance" },
    { label: "Members · active keys", value: `${members.length} · ${activeKeys}` },
    { label: "Usage today", value: `${formatCredits(usage.day.credits)} credits · ${formatCredits(usage.day.requests)} requests` },
    { label: "Usage, 7 days", value: `${formatCredits(usage.week.credits)} credits · ${formatCredits(usage.week.requests)} requests` },
    { label: "Usage, 30 days", value: `${formatCredits(usage.month.credits)} credits · ${formatCredits(usage.month.requests)} requests` },
  ];
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <Link href="/admin/organizations" className="text-sm text-muted-foreground underline-offset-4 hover:underline">
            ← Organizations
          </Link>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {organization.name} <StateBadge disabledAt={organization.disabledAt} />
          </h1>
          <p className="font-mono text-xs break-all text-muted-foreground">
            {organization.id} · created {formatDateTime(organization.createdAt)} UTC
          </p>
        </div>
        <OrganizationStateButton organization={{ id: organization.id, name: organization.name, disabled }} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {stats.map((stat) => (
          <Card key={stat.label}>
            <CardHeader>
              <CardDescription>{stat.label}</CardDescription>
              <CardTitle className="text-lg tabular-nums" data-testid={stat.testId}>
                {stat.value}
              </CardTitle>
            </CardHeader>
          </Card>
        ))}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Adjust credits</CardTitle>
          <CardDescription>A positive or negative number of credits and the reason, for the ledger and the audit log. The balance never goes below zero.</CardDescription>
        </CardHeader>
        <CardContent>
          <AdjustCreditsForm organizationId={organization.id} />
        </CardContent>
      </Card>
      <MembersTable members={members} />
      <section aria-label="Payments" className="space-y-3">
        <PaymentsTable payments={history.payments} />
        <Pager label="Payment pages" firstHref={paymentCursor ? hrefWith(path, { ledger: ledgerCursor }) : undefined} nextHref={history.next ? hrefWith(path, { payments: history.next, ledger: ledgerCursor }) : undefined} nextLabel="Older payments" />
      </section>
      <section aria-label="Ledger" className="space-y-3">
        <LedgerTable entries={shown} />
        <Pager
          label="Ledger pages"
          firstHref={ledgerCursor ? hrefWith(path, { payments: firstValue(query.payments) }) : undefined}
          nextHref={entries.length > ledgerPage ? hrefWith(path, { payments: paymentCursor ? firstValue(query.payments) : undefined, ledger: shown.at(-1)!.id }) : undefined}
          nextLabel="Older movements"
        />
      </section>
    </div>
  );
}
