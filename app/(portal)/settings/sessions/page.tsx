import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UAParser } from "ua-parser-js";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listActiveSessions } from "@/lib/auth/sessions";
import { getViewer } from "@/lib/auth/viewer";
import { revokeOtherSessionsAction, revokeSessionAction } from "../actions";
import { ActionButton } from "../_components/action-button";
import { SettingsHeader } from "../_components/settings-nav";
import { formatDateTime } from "@/lib/format";

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
      <SettingsHeader title="Sessions" />
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-muted-foreground">Where you are signed in. Revoking a session signs that browser out on its next request.</p>
        {sessions.length > 1 && (
          <ActionButton action={revokeOtherSessionsAction} input={{}} variant="destructive">
            Sign out everywhere else
          </ActionButton>
        )}
      </div>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Browser</TableHead>
            <TableHead>IP address</TableHead>
            <TableHead>Signed in (UTC)</TableHead>
            <TableHead>Last active (UTC)</TableHead>
            <TableHead className="sr-only">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.map((session) => (
            <TableRow key={session.id} data-session-id={session.id}>
              <TableCell>
                {describeBrowser(session.userAgent)} {session.id === viewer.sessionId && <Badge>This browser</Badge>}
              </TableCell>
              <TableCell>{session.ipAddress ?? "Unknown"}</TableCell>
              <TableCell>{formatDateTime(session.createdAt)}</TableCell>
              <TableCell>{formatDateTime(session.lastActiveAt)}</TableCell>
              <TableCell className="text-right">
                {session.id !== viewer.sessionId && (
                  <ActionButton action={revokeSessionAction} input={{ sessionId: session.id }}>
                    Revoke
                  </ActionButton>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
