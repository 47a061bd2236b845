import Link from "next/link";
import { HistoryIcon, ReceiptTextIcon, UsersIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { TableCell, TableRow } from "@/components/ui/table";
import type { LedgerEntry, Payment } from "@/db/schema";
import type { listOrganizationMembers } from "@/lib/admin/organizations";
import { formatCredits, formatDateTime, formatMoney } from "@/lib/format";
import { roleLabels, StateBadge } from "../../../_components/labels";

const linkClass = "rounded-sm font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring";

export function MembersTable({ members }: { members: Awaited<ReturnType<typeof listOrganizationMembers>> }) {
  return (
    <TableCard
      title="Members"
      columns={[{ label: "Member" }, { label: "Role" }, { label: "State" }, { label: "Last sign-in (UTC)" }]}
      rowCount={members.length}
      empty={{ icon: UsersIcon, title: "No members", description: "Nobody belongs to this organization yet." }}
    >
      {members.map((member) => (
        <TableRow key={member.id}>
          <TableCell>
            <Link href={`/admin/users?q=${encodeURIComponent(member.email)}`} className={linkClass}>
              {member.email}
            </Link>
            {member.name && <span className="block text-xs text-muted-foreground">{member.name}</span>}
          </TableCell>
          <TableCell>{roleLabels[member.role]}</TableCell>
          <TableCell>
            <StateBadge disabledAt={member.disabledAt} locked={member.locked} />
          </TableCell>
          <TableCell className="whitespace-nowrap">{member.lastSignInAt ? formatDateTime(member.lastSignInAt) : "Never"}</TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}

export function PaymentsTable({ payments }: { payments: Payment[] }) {
  return (
    <TableCard
      title="Payments"
      columns={[{ label: "Date (UTC)" }, { label: "Package" }, { label: "Provider" }, { label: "Status" }, { label: "Amount", numeric: true }, { label: "Refunded", numeric: true }]}
      rowCount={payments.length}
      empty={{ icon: ReceiptTextIcon, title: "No payments", description: "This organization has not bought credits yet." }}
    >
      {payments.map((payment) => (
        <TableRow key={payment.id}>
          <TableCell className="whitespace-nowrap">{formatDateTime(payment.createdAt)}</TableCell>
          <TableCell>{payment.packageName || "—"}</TableCell>
          <TableCell>{payment.provider}</TableCell>
          <TableCell>{payment.status.replace("_", " ")}</TableCell>
          <TableCell className="text-right tabular-nums">{formatMoney(payment.amountCents, payment.currency)}</TableCell>
          <TableCell className="text-right tabular-nums">
            {payment.refundedCents + payment.disputedCents > 0 ? formatMoney(payment.refundedCents + payment.disputedCents, payment.currency) : "—"}
          </TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}

export function LedgerTable({ entries }: { entries: LedgerEntry[] }) {
  return (
    <TableCard
      title="Ledger"
      columns={[{ label: "Date (UTC)" }, { label: "Reason" }, { label: "Note" }, { label: "Change", numeric: true }, { label: "Balance", numeric: true }]}
      rowCount={entries.length}
      empty={{ icon: HistoryIcon, title: "No credit movements", description: "Purchases, usage and adjustments will appear here." }}
    >
      {entries.map((entry) => (
        <TableRow key={entry.id} data-testid="admin-ledger-row">
          <TableCell className="whitespace-nowrap">{formatDateTime(entry.createdAt)}</TableCell>
          <TableCell>{entry.reason}</TableCell>
          <TableCell className="max-w-xs truncate">{typeof entry.metadata?.note === "string" ? entry.metadata.note : "—"}</TableCell>
          <TableCell className="text-right tabular-nums">{entry.delta > 0 ? `+${formatCredits(entry.delta)}` : formatCredits(entry.delta)}</TableCell>
          <TableCell className="text-right tabular-nums">{formatCredits(entry.balanceAfter)}</TableCell>
        </TableRow>
      ))}
    </TableCard>
  );
}
