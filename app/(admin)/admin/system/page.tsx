import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { getHealth, getMirrorState, getOutboxCounts } from "@/lib/admin/system";
import { formatDateTime } from "@/lib/format";
import { ResyncButton, RetryFailedEmailsButton } from "./_components/system-buttons";

export const metadata: Metadata = { title: "System · Admin" };
// Live state: never a cached render.
export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2 border-b py-2 last:border-0">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium tabular-nums">{children}</dd>
    </div>
  );
}

function Health({ status }: { status: string }) {
  return <Badge variant={status === "ok" ? "success" : status === "degraded" ? "warning" : "destructive"}>{status}</Badge>;
}

export default async function SystemPage() {
  await requireBusinessAdmin("/admin/system");
  const [mirror, outbox, health] = await Promise.all([getMirrorState(), getOutboxCounts(), getHealth()]);
  const counts = mirror.lastResync?.counts;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">System</h1>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>Health</CardTitle>
            <CardDescription>This instance&apos;s view of its database and cache.</CardDescription>
          </CardHeader>
          <CardContent>
            <dl>
              <Row label="Overall"><Health status={health.status} /></Row>
              <Row label="Database (Postgres)"><Health status={health.db} /></Row>
              <Row label="Cache (Redis)"><Health status={health.cache} /></Row>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Redis mirror</CardTitle>
            <CardDescription>Keys and balances the data API reads. A resync rewrites all of it from Postgres.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <dl>
              <Row label="Writes queued on this instance">{mirror.queuedWrites}</Row>
              <Row label="Last sweep (UTC)">{mirror.lastSweepAt ? formatDateTime(mirror.lastSweepAt) : "Not yet on this instance"}</Row>
              <Row label="Last resync (UTC)">
                {mirror.lastResync ? `${formatDateTime(mirror.lastResync.at)} · ${counts?.keys ?? 0} keys, ${counts?.balances ?? 0} balances` : "Never from the console"}
              </Row>
            </dl>
            <ResyncButton />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Email outbox</CardTitle>
            <CardDescription>Failed messages used up their retries; retrying gives them a fresh set.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <dl>
              <Row label="Queued">{outbox.queued}</Row>
              <Row label="Failed">{outbox.failed}</Row>
            </dl>
            <RetryFailedEmailsButton />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
