import type { AuditEntry } from "@/lib/audit";
import { getRequestInfo } from "@/lib/auth/request-info";

/** Who runs an admin operation, for its audit row: a signed-in business admin, or the CLI (no user). */
export type AdminActor = { userId: string | null; ipAddress: string | null; userAgent: string | null };

export const cliActor: AdminActor = { userId: null, ipAddress: null, userAgent: "portal-cli" };

/** The signed-in admin with this request's IP and browser (lib/auth/request-info.ts). */
export async function requestActor(userId: string): Promise<AdminActor> {
  return { userId, ...(await getRequestInfo()) };
}

/** The actor's part of an audit row. */
export function auditedBy(actor: AdminActor): Pick<AuditEntry, "actorUserId" | "ipAddress" | "userAgent"> {
  return { actorUserId: actor.userId, ipAddress: actor.ipAddress, userAgent: actor.userAgent };
}
