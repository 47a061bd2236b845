import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import type { listApiKeys } from "@/lib/keys";
import { KeyStatusBadge } from "./key-status-badge";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RollKeyDialog } from "./roll-key-dialog";

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

function when(value: Date | null, fallback: string) {
  return value ? formatDateTime(value) : <span className="text-muted-foreground">{fallback}</span>;
}

export function KeysTable({ keys }: { keys: KeyRow[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>Created by</TableHead>
          <TableHead>Created (UTC)</TableHead>
          <TableHead>Last used (UTC)</TableHead>
          <TableHead>Expires (UTC)</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={key.id} data-testid="api-key-row">
            <TableCell>
              <div className="font-medium">{key.name}</div>
              <div className="font-mono text-xs text-muted-foreground">
                {key.scopes.join(", ")}
                {key.rateLimitPerMinute !== null && ` · ${key.rateLimitPerMinute}/min`}
              </div>
            </TableCell>
            <TableCell className="font-mono text-xs">{key.start}…</TableCell>
            <TableCell>{key.creator ?? <span className="text-muted-foreground">—</span>}</TableCell>
            <TableCell>{formatDateTime(key.createdAt)}</TableCell>
            <TableCell>{when(key.lastUsedAt, "Never")}</TableCell>
            <TableCell>{when(key.expiresAt, "Never")}</TableCell>
            <TableCell>
              <KeyStatusBadge status={key.status} replacedByKeyId={key.replacedByKeyId} expiresAt={key.expiresAt} />
            </TableCell>
            <TableCell>
              <div className="flex justify-end gap-2">
                <RollKeyDialog keyId={key.id} name={key.name} disabled={key.status !== "active" || key.replacedByKeyId !== null} />
                {key.status !== "revoked" && key.status !== "expired" && <RevokeKeyDialog keyId={key.id} name={key.name} />}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
