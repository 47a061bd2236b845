import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/viewer";
import { formatCount, formatCredits } from "@/lib/format";
import { loadUsageExplorer } from "@/lib/usage/explorer";
import { addDays, defaultRange, parseUsageView, usageViewHref, utcDayOf, type SearchParams } from "@/lib/usage/explorer-params";
import { ExportCsvButton } from "./_components/export-csv-button";
import { UsageFilters } from "./_components/usage-filters";
import { UsagePager } from "./_components/usage-pager";
import { UsageTable } from "./_components/usage-table";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/usage");
  const now = new Date();
  const defaults = defaultRange(now);
  // A business admin sees their own organization here too; other organizations are the admin console's.
  const { view, issues, options, totals, page } = await loadUsageExplorer(viewer.organizationId, parseUsageView(await searchParams, now));
  const href = (cursor: typeof view.cursor) => usageViewHref({ ...view, cursor }, defaults);
  const firstPageHref = href(undefined);
  const emptyReason = !options.hasUsage ? "no-usage" : view.cursor ? "past-the-end" : "no-match";
  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
          <p className="text-sm text-muted-foreground">
            Every request your API keys made, by UTC day. Share the address to share the view.
          </p>
        </div>
        <ExportCsvButton filter={view.filter} expectedRows={totals.requests} />
      </div>
      <Card>
        <CardHeader className="pb-2">
          <CardTitle className="text-base">Filters</CardTitle>
        </CardHeader>
        <div className="px-6 pb-6">
          <UsageFilters
            key={firstPageHref}
            view={view}
            issues={issues}
            defaults={defaults}
            latestDay={addDays(utcDayOf(now), 1)}
            keys={options.keys.map((key) => ({ id: key.id, name: key.name, revoked: key.revokedAt !== null }))}
            endpoints={options.endpoints}
          />
        </div>
      </Card>
      <section aria-label="Totals for these filters" className="grid gap-4 sm:grid-cols-2">
        <Card>
          <CardHeader>
            <CardDescription>Requests</CardDescription>
            <CardTitle className="text-2xl tabular-nums" data-testid="usage-total-requests">
              {formatCount(totals.requests)}
            </CardTitle>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Credits used</CardDescription>
            <CardTitle className="text-2xl tabular-nums" data-testid="usage-total-credits">
              {formatCredits(totals.credits)}
            </CardTitle>
          </CardHeader>
        </Card>
      </section>
      {issues.cursor && (
        <p role="alert" className="rounded-md border bg-muted/50 p-3 text-sm">
          {issues.cursor}
        </p>
      )}
      <UsageTable events={page.events} emptyReason={emptyReason} firstPageHref={firstPageHref}>
        <UsagePager
          previousHref={page.previous && href(page.previous)}
          nextHref={page.next && href(page.next)}
          firstHref={view.cursor ? firstPageHref : undefined}
        />
      </UsageTable>
    </div>
  );
}
