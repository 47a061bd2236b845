import { Badge } from "@/components/ui/badge";
import type { Role } from "@/db/schema";

export const roleLabels: Record<Role, string> = { user: "Member", client_admin: "Client admin", business_admin: "Business admin" };

/** `locked` comes from the database's clock (`locked_until > now()`), so a render stays pure. */
export function StateBadge({ disabledAt, locked = false }: { disabledAt: Date | null; locked?: boolean }) {
  if (disabledAt) return <Badge variant="destructive">Disabled</Badge>;
  if (locked) return <Badge variant="warning">Locked</Badge>;
  return <Badge variant="success">Active</Badge>;
}

export const selectClass =
  "h-9 w-full rounded-md border bg-background px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/40";
