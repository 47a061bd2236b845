import type * as React from "react";
import Link from "next/link";
import { ActivityIcon, SearchXIcon } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCredits, formatUtcSeconds } from "@/lib/format";
import type { UsageEventRow } from "@/lib/usage/explorer";

type UsageTableProps = {
  events: UsageEventRow[];
  /** Why the table may be empty: the organization has never reported usage, or this page or filter has none. */
  emptyReason: "no-usage" | "no-match" | "past-the-end";
  firstPageHref: string;
  children?: React.ReactNode;
};

const linkClass = "rounded-sm font-medium underline underline-offset-4 outline-none focus-visible:ring-2 focus-visible:ring-ring";

function EmptyUsage({ reason, firstPageHref }: { reason: UsageTableProps["emptyReason"]; firstPageHref: string }) {
  if (reason === "no-usage") {
    return (
      <EmptyState
        icon={ActivityIcon}
        title="No usage yet"
        description={
          <>
            Requests made with your API keys appear here. <Link href="/keys" className={linkClass}>Create a key</Link>, then
            see <Link href="/docs" className={linkClass}>the API docs</Link> to make a first call.
          </>
        }
      />
    );
  }
  if (reason === "past-the-end") {
    return <EmptyState icon={SearchXIcon} title="No more events" description={<Link href={firstPageHref} className={linkClass}>Back to the first page</Link>} />;
  }
  return (
    <EmptyState
      icon={SearchXIcon}
      title="No usage matches these filters"
      description={
        <>
          Try a wider date range, or <Link href="/usage" className={linkClass}>clear filters</Link>.
        </>
      }
    />
  );
}

const columns = [
  { label: "Time (UTC)" },
  { label: "API key" },
  { label: "Endpoint" },
  { label: "Credits", numeric: true },
  { label: "Balance after", numeric: true },
  { label: "Request ID" },
];

/** The page's events. On narrow screens the table scrolls inside its card, and says so. */
export function UsageTable({ events, emptyReason, firstPageHref, children }: UsageTableProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Usage events</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {events.length === 0 ? (
          <EmptyUsage reason={emptyReason} firstPageHref={firstPageHref} />
        ) : (
          <>
            <p className="text-xs text-muted-foreground md:hidden" aria-hidden="true">
              Scroll the table sideways to see every column →
            </p>
            <Table aria-label="Usage events" data-testid="usage-table">
              <TableHeader>
                <TableRow>
                  {columns.map((column) => (
                    <TableHead key={column.label} className={column.numeric ? "text-right" : undefined}>
                      {column.label}
                    </TableHead>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.map((event) => (
                  <TableRow key={event.id} data-testid="usage-row">
                    <TableCell className="font-mono text-xs whitespace-nowrap tabular-nums">
                      <time dateTime={event.exactOccurredAt}>{formatUtcSeconds(event.occurredAt)}</time>
                    </TableCell>
                    <TableCell className="max-w-48 truncate" title={event.apiKeyName}>
                      {event.apiKeyName}
                    </TableCell>
                    <TableCell className="max-w-56 truncate font-mono text-xs" title={event.endpoint ?? undefined}>
                      {event.endpoint || <span className="text-muted-foreground">—</span>}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(event.credits)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(event.balanceAfter)}</TableCell>
                    <TableCell className="max-w-40 truncate font-mono text-xs" title={event.requestId}>
                      {event.requestId}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
        {children}
      </CardContent>
    </Card>
  );
}
