import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UAParser } from "ua-parser-js";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listActiveSessions } from "@/lib/auth/sessions";
import { getViewer } from "@/lib/auth/viewer";
import { formatDateTime } from "@/lib/format";
import { revokeOtherSessionsAction, revokeSessionAction } from "../actions";
import { ConfirmAction } from "@/components/confirm-action";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Sessions" };

function describeBrowser(userAgent: string | null) {
  if (!userAgent) return "Unknown browser";
  const { browser, os } = new UAParser(userAgent).getResult();
  return [browser.name, os.name].filter(Boolean).join(" on ") || "Unknown browser";
}

export default async function SessionsPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/sessions");
  const sessions = await listActiveSessions(viewer.userId);
  return (
    <div className="space-y-6">
      <SettingsHeader active="sessions" />
      <Card>
        <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="space-y-1.5">
            <CardTitle>Where you are signed in</CardTitle>
            <CardDescription>Revoking a session signs that browser out on its next request.</CardDescription>
          </div>
          {sessions.length > 1 && (
            <ConfirmAction
              action={revokeOtherSessionsAction}
              input={{}}
              variant="destructive"
              trigger="Sign out everywhere else"
              title="Sign out every other session?"
              description="Every browser and device except this one is signed out. This browser stays signed in."
              successMessage="Every other session was signed out."
            />
          )}
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-xs text-muted-foreground sm:hidden">Scroll sideways to see every column.</p>
          {/* Scrolls inside the card on narrow screens instead of clipping; focusable so keyboards can scroll it. */}
          <div className="overflow-x-auto rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none" tabIndex={0} role="region" aria-label="Sessions">
            <table className="w-full min-w-[640px] caption-bottom text-sm">
              <TableHeader>
                <TableRow>
                  <TableHead>Browser</TableHead>
                  <TableHead>IP address</TableHead>
                  <TableHead>Signed in (UTC)</TableHead>
                  <TableHead>Last active (UTC)</TableHead>
                  <TableHead className="text-right">Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sessions.map((session) => {
                  const browser = describeBrowser(session.userAgent);
                  return (
                    <TableRow key={session.id} data-session-id={session.id}>
                      <TableCell>
                        <span className="inline-flex flex-wrap items-center gap-2">
                          {browser} {session.id === viewer.sessionId && <Badge>This browser</Badge>}
                        </span>
                      </TableCell>
                      <TableCell>{session.ipAddress ?? "Unknown"}</TableCell>
                      <TableCell>{formatDateTime(session.createdAt)}</TableCell>
                      <TableCell>{formatDateTime(session.lastActiveAt)}</TableCell>
                      <TableCell className="text-right">
                        {session.id === viewer.sessionId ? (
                          <span className="text-xs text-muted-foreground">Use Sign out</span>
                        ) : (
                          <ConfirmAction
                            action={revokeSessionAction}
                            input={{ sessionId: session.id }}
                            trigger="Revoke"
                            triggerLabel={`Revoke the session of ${browser} signed in ${formatDateTime(session.createdAt)}`}
                            title="Revoke this session?"
                            description={`${browser} (${session.ipAddress ?? "unknown address"}) is signed out on its next request.`}
                            successMessage="The session was revoked."
                          />
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </table>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
