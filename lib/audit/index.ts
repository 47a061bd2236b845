import { db, type Executor } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditEntry = {
  action: string;
  organizationId?: string | null;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  metadata?: Record<string, unknown>;
};

/** Writes an audit row; pass the transaction that makes the change so both commit or neither does. */
export async function writeAudit(entry: AuditEntry, executor: Executor = db) {
  await executor.insert(auditLog).values(entry);
}
