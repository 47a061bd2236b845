import { ArrowLeftRightIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { TableCell, TableRow } from "@/components/ui/table";
import type { LedgerEntry } from "@/db/schema";
import { describeLedgerEntry, formatCredits, formatDateTime, formatSignedCredits } from "@/lib/format";
import { billingHref, type BillingCursors } from "./billing-search-params";
import { TablePager } from "./table-pager";

type CreditMovementsProps = {
  entries: LedgerEntry[];
  /** Whether a page older than this one exists. */
  hasOlder: boolean;
  cursors: BillingCursors;
};

const columns = [{ label: "Date (UTC)" }, { label: "What" }, { label: "Credits", numeric: true }, { label: "Balance after", numeric: true }];

/** An operator's adjustment carries the reason they wrote; customers deserve to read it. */
function noteOf(entry: LedgerEntry) {
  const note = entry.reason === "adjustment" ? entry.metadata?.note : undefined;
  return typeof note === "string" && note ? note : undefined;
}

export function CreditMovements({ entries, hasOlder, cursors }: CreditMovementsProps) {
  const paged = Boolean(cursors.ledger);
  const last = entries.at(-1);
  return (
    <section id="ledger" aria-label="Credit movements" className="scroll-mt-20 space-y-3">
      <TableCard
        title="Credit movements"
        columns={columns}
        empty={
          paged
            ? { icon: ArrowLeftRightIcon, title: "No older movements", description: "You have reached the first credit movement." }
            : { icon: ArrowLeftRightIcon, title: "No credit movements yet", description: "Purchases, usage, refunds and grants will appear here." }
        }
        rowCount={entries.length}
      >
        {entries.map((entry) => {
          const note = noteOf(entry);
          return (
            <TableRow key={entry.id} data-testid="ledger-row">
              <TableCell className="whitespace-nowrap">{formatDateTime(entry.createdAt)}</TableCell>
              <TableCell>
                {describeLedgerEntry(entry)}
                {note && <span className="block text-xs text-muted-foreground">{note}</span>}
              </TableCell>
              <TableCell className={entry.delta > 0 ? "text-right tabular-nums text-emerald-700 dark:text-emerald-400" : "text-right tabular-nums"}>
                {formatSignedCredits(entry.delta)}
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatCredits(entry.balanceAfter)}</TableCell>
            </TableRow>
          );
        })}
      </TableCard>
      <TablePager
        label="Credit movement pages"
        newestHref={paged ? billingHref({ ...cursors, ledger: undefined }, "ledger") : undefined}
        olderHref={hasOlder && last ? billingHref({ ...cursors, ledger: last.id }, "ledger") : undefined}
        olderLabel="Older movements"
      />
    </section>
  );
}
