import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { KeyStatus } from "@/lib/keys";
import { formatDateTime } from "@/lib/format";

type StatusInput = { status: KeyStatus; replacedByKeyId: string | null; expiresAt: Date | null };

const badges: Record<KeyStatus, { label: string; variant: BadgeProps["variant"] }> = {
  active: { label: "Active", variant: "success" },
  expired: { label: "Expired", variant: "secondary" },
  revoked: { label: "Revoked", variant: "destructive" },
  disabled: { label: "Disabled", variant: "secondary" },
};

/** A rolled key still works until its grace period ends, which deserves its own label. */
export function KeyStatusBadge({ status, replacedByKeyId, expiresAt }: StatusInput) {
  if (status === "active" && replacedByKeyId) {
    const until = expiresAt ? `Rolled; works until ${formatDateTime(expiresAt)} UTC` : "Rolled";
    return (
      <Badge variant="warning" title={until}>
        Expiring (grace)
      </Badge>
    );
  }
  const badge = badges[status];
  return <Badge variant={badge.variant}>{badge.label}</Badge>;
}
