import { ActivityIcon } from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCredits, formatDateTime } from "@/lib/format";
import type { RecentUsage } from "@/lib/usage/dashboard";

const linkClass = "text-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:rounded-sm focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none";

export function RecentUsageCard({ events }: { events: RecentUsage[] }) {
  return (
    <Card className="min-w-0">
      <CardHeader className="flex-row items-center justify-between gap-2">
        <CardTitle>Recent usage</CardTitle>
        <Link href="/usage" className={linkClass}>
          View all usage
        </Link>
      </CardHeader>
      <CardContent>
        {events.length === 0 ? (
          <EmptyState
            icon={ActivityIcon}
            title="No usage yet"
            description="Each call made with one of your API keys is listed here, newest first."
          />
        ) : (
          <>
            <p className="mb-2 text-xs text-muted-foreground sm:hidden">Scroll sideways to see every column.</p>
            <Table aria-label="The last 10 usage events">
              <TableHeader>
                <TableRow>
                  <TableHead>Time (UTC)</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Endpoint</TableHead>
                  <TableHead className="text-right">Credits</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.map((event) => (
                  <TableRow key={event.id} data-testid="recent-usage-row">
                    <TableCell className="whitespace-nowrap">{formatDateTime(event.occurredAt)}</TableCell>
                    <TableCell className="max-w-40 truncate" title={event.keyName}>{event.keyName}</TableCell>
                    <TableCell className="max-w-48 truncate font-mono text-xs" title={event.endpoint ?? undefined}>
                      {event.endpoint || <span className="font-sans text-muted-foreground">none</span>}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(event.credits)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </CardContent>
    </Card>
  );
}
