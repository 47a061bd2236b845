import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { PaymentProvider, PaymentStatus, ReversalKind, ReversalStatus } from "@/db/schema";

// The words a customer reads for our enum values, shared by the billing page and the receipt.

export const providerLabels: Record<PaymentProvider, string> = {
  stripe: "Card (Stripe)",
  paypal: "PayPal",
  test: "Test",
};

const statusBadges: Record<PaymentStatus, { label: string; variant: BadgeProps["variant"] }> = {
  pending: { label: "Pending", variant: "warning" },
  completed: { label: "Completed", variant: "success" },
  partially_refunded: { label: "Partially refunded", variant: "outline" },
  refunded: { label: "Refunded", variant: "secondary" },
  failed: { label: "Failed", variant: "destructive" },
  expired: { label: "Expired", variant: "secondary" },
};

export const reversalLabels: Record<ReversalKind, string> = { refund: "Refund", dispute: "Dispute" };

export const reversalStatusLabels: Record<ReversalStatus, string> = {
  final: "Refunded",
  open: "Open: amount held",
  won: "Won: amount returned to you",
  lost: "Lost",
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  const badge = statusBadges[status];
  return <Badge variant={badge.variant}>{badge.label}</Badge>;
}
