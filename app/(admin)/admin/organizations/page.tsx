import type { Metadata } from "next";
import Link from "next/link";
import { Building2Icon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { TableCell, TableRow } from "@/components/ui/table";
import { decodeTimeCursor } from "@/lib/admin/cursor";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { searchOrganizations } from "@/lib/admin/organizations";
import { formatCredits, formatDateTime } from "@/lib/format";
import { StateBadge } from "../_components/labels";
import { Pager } from "../_components/pager";
import { SearchForm } from "../_components/search-form";
import { firstValue, hrefWith, searchText, type SearchParams } from "../_components/search-params";

export const metadata: Metadata = { title: "Organizations · Admin" };

const columns = [{ label: "Organization" }, { label: "State" }, { label: "Balance", numeric: true }, { label: "Members", numeric: true }, { label: "Credits, 30 days", numeric: true }, { label: "Created (UTC)" }];
const linkClass = "rounded-sm font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring";

export default async function OrganizationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireBusinessAdmin("/admin/organizations");
  const params = await searchParams;
  const query = searchText(params.q);
  const after = decodeTimeCursor(firstValue(params.after));
  const { rows, next } = await searchOrganizations({ query, after });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Organizations</h1>
      <SearchForm action="/admin/organizations" label="Search by name or id" placeholder="Acme, or an organization id" value={query} />
      <TableCard
        title={query ? `Organizations matching “${query}”` : "All organizations"}
        columns={columns}
        rowCount={rows.length}
        empty={{ icon: Building2Icon, title: "No organizations found", description: query ? "Try part of the name, or the whole id." : "Organizations appear here once someone signs up." }}
      >
        {rows.map((row) => (
          <TableRow key={row.id} data-testid="admin-organization-row">
            <TableCell>
              <Link href={`/admin/organizations/${row.id}`} className={linkClass}>
                {row.name}
              </Link>
              <span className="block font-mono text-xs text-muted-foreground">{row.id}</span>
            </TableCell>
            <TableCell>
              <StateBadge disabledAt={row.disabledAt} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(row.balance)}</TableCell>
            <TableCell className="text-right tabular-nums">{row.members}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(row.credits30d)}</TableCell>
            <TableCell className="whitespace-nowrap">{formatDateTime(row.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableCard>
      <Pager
        label="Organization pages"
        firstHref={after ? hrefWith("/admin/organizations", { q: query }) : undefined}
        nextHref={next ? hrefWith("/admin/organizations", { q: query, after: next }) : undefined}
        nextLabel="Older organizations"
      />
    </div>
  );
}
