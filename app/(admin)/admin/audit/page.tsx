import type { Metadata } from "next";
import { DownloadIcon, ScrollTextIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { TableCell, TableRow } from "@/components/ui/table";
import { auditFiltersSchema, listAuditEntries } from "@/lib/admin/audit";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { formatDateTime } from "@/lib/format";
import { Pager } from "../_components/pager";
import { firstValue, hrefWith, idCursor, type SearchParams } from "../_components/search-params";

export const metadata: Metadata = { title: "Audit log · Admin" };

const columns = [{ label: "Time (UTC)" }, { label: "Action" }, { label: "Actor" }, { label: "Organization" }, { label: "Target" }, { label: "IP / browser" }];

const filterFields = [
  { name: "actor", label: "Actor email", type: "search", placeholder: "ops@" },
  { name: "action", label: "Action", type: "search", placeholder: "credits.adjusted, or user." },
  { name: "organizationId", label: "Organization id", type: "search", placeholder: "Any" },
  { name: "from", label: "From (UTC day)", type: "date", placeholder: "" },
  { name: "to", label: "To (UTC day)", type: "date", placeholder: "" },
] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireBusinessAdmin("/admin/audit");
  const params = await searchParams;
  const filters = auditFiltersSchema.parse(Object.fromEntries(filterFields.map((field) => [field.name, firstValue(params[field.name])])));
  const before = idCursor(params.before);
  const { rows, next } = await listAuditEntries(filters, { before });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <Button asChild variant="outline">
          <a href={hrefWith("/api/admin/audit/export", filters)} download>
            <DownloadIcon aria-hidden="true" />
            Export CSV
          </a>
        </Button>
      </div>
      <form method="get" action="/admin/audit" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-end">
        {filterFields.map((field) => (
          <div key={field.name} className="grid gap-1.5">
            <Label htmlFor={`audit-${field.name}`}>{field.label}</Label>
            <Input id={`audit-${field.name}`} name={field.name} type={field.type} placeholder={field.placeholder} defaultValue={filters[field.name]} maxLength={200} />
          </div>
        ))}
        <Button type="submit">Filter</Button>
      </form>
      <TableCard title="Entries" columns={columns} rowCount={rows.length} empty={{ icon: ScrollTextIcon, title: "No entries match", description: "Widen the date range or clear a filter." }}>
        {rows.map(({ entry, actorEmail, organizationName }) => (
          <TableRow key={entry.id} data-testid="admin-audit-row">
            <TableCell className="whitespace-nowrap">{formatDateTime(entry.createdAt)}</TableCell>
            <TableCell className="font-mono text-xs">{entry.action}</TableCell>
            <TableCell>{actorEmail ?? (entry.userAgent === "portal-cli" ? "CLI" : "System")}</TableCell>
            <TableCell>{organizationName ?? "—"}</TableCell>
            <TableCell className="max-w-64">
              <span className="block truncate font-mono text-xs">{entry.targetType ? `${entry.targetType} ${entry.targetId ?? ""}` : "—"}</span>
              {entry.metadata && <span className="block truncate text-xs text-muted-foreground">{JSON.stringify(entry.metadata)}</span>}
            </TableCell>
            <TableCell className="max-w-48">
              <span className="block truncate text-xs">{entry.ipAddress ?? "—"}</span>
              <span className="block truncate text-xs text-muted-foreground">{entry.userAgent ?? ""}</span>
            </TableCell>
          </TableRow>
        ))}
      </TableCard>
      <Pager label="Audit log pages" firstHref={before ? hrefWith("/admin/audit", filters) : undefined} nextHref={next ? hrefWith("/admin/audit", { ...filters, before: next }) : undefined} nextLabel="Older entries" />
    </div>
  );
}
