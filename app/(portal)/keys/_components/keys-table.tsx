import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format";
import type { listApiKeys } from "@/lib/keys";
import { GraceCountdown } from "./grace-countdown";
import { KeyStatusBadge } from "./key-status-badge";
import { RevokeKeyDialog } from "./revoke-key-dialog";
import { RollKeyDialog } from "./roll-key-dialog";

type KeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

/**
 * A time that may break between its date and its clock time, never inside either: three time columns
 * side by side fit a 1280 px screen only when they can take two lines.
 */
function DateTime({ value }: { value: Date }) {
  const text = formatDateTime(value);
  const split = text.lastIndexOf(", ");
  if (split < 0) return <span className="whitespace-nowrap">{text}</span>;
  return (
    <time dateTime={value.toISOString()}>
      <span className="whitespace-nowrap">{text.slice(0, split + 1)}</span>{" "}
      <span className="whitespace-nowrap">{text.slice(split + 2)}</span>
    </time>
  );
}

function when(value: Date | null, fallback: string) {
  return value ? <DateTime value={value} /> : <span className="text-muted-foreground">{fallback}</span>;
}

/** A rolled key keeps its name, so the prefix is what tells it from its successor. */
function Prefix({ keyRow }: { keyRow: Pick<KeyRow, "start"> }) {
  return <span className="font-mono whitespace-nowrap">{keyRow.start}…</span>;
}

function KeyActions({ keyRow }: { keyRow: KeyRow }) {
  const rollable = keyRow.status === "active" && keyRow.replacedByKeyId === null;
  const revocable = keyRow.status === "active" || keyRow.status === "disabled";
  if (!rollable && !revocable) return <span className="sr-only">No actions</span>;
  return (
    // Two fixed slots, so Roll and Revoke sit in the same place on every row whichever of them a row has.
    <div className="grid grid-cols-[4rem_4.75rem] justify-end gap-2">
      <div>
        <RollKeyDialog keyId={keyRow.id} name={keyRow.name} available={rollable} />
      </div>
      <div>{revocable && <RevokeKeyDialog keyId={keyRow.id} name={keyRow.name} />}</div>
    </div>
  );
}

export function KeysTable({ keys }: { keys: KeyRow[] }) {
  const byId = new Map(keys.map((key) => [key.id, key]));
  const predecessorOf = new Map(keys.filter((key) => key.replacedByKeyId).map((key) => [key.replacedByKeyId!, key]));
  const renderedAt = new Date();
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name and key</TableHead>
          <TableHead>Created (UTC)</TableHead>
          <TableHead>Last used (UTC)</TableHead>
          <TableHead>Expires (UTC)</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => {
          const predecessor = predecessorOf.get(key.id);
          const successor = key.replacedByKeyId ? byId.get(key.replacedByKeyId) : undefined;
          const inGrace = key.status === "active" && key.replacedByKeyId !== null && key.expiresAt !== null;
          return (
            <TableRow key={key.id} data-testid="api-key-row">
              <TableCell className="max-w-64 min-w-40">
                <div className="font-medium break-words">{key.name}</div>
                <div className="text-xs">
                  <Prefix keyRow={key} />
                </div>
                <div className="font-mono text-xs text-muted-foreground">
                  {key.scopes.join(", ")}
                  {key.rateLimitPerMinute !== null && ` · ${key.rateLimitPerMinute}/min`}
                </div>
                {predecessor && (
                  <div className="text-xs text-muted-foreground">
                    Rolled from <Prefix keyRow={predecessor} />
                  </div>
                )}
                {successor && (
                  <div className="text-xs text-muted-foreground">
                    Replaced by <Prefix keyRow={successor} />
                  </div>
                )}
              </TableCell>
              <TableCell>
                <div>
                  <DateTime value={key.createdAt} />
                </div>
                {key.creator && <div className="text-xs text-muted-foreground">by {key.creator}</div>}
              </TableCell>
              <TableCell>{when(key.lastUsedAt, "Never")}</TableCell>
              <TableCell>
                <div>{when(key.expiresAt, "Never")}</div>
                {inGrace && <GraceCountdown until={key.expiresAt!} renderedAt={renderedAt} />}
              </TableCell>
              <TableCell>
                <KeyStatusBadge status={key.status} replacedByKeyId={key.replacedByKeyId} expiresAt={key.expiresAt} />
              </TableCell>
              <TableCell>
                <KeyActions keyRow={key} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
