import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, lt, ne, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { sessions } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { RequestInfo } from "./request-info";

/** Matches Auth.js's default session lifetime, which it extends on use. */
export const sessionMaxAgeSeconds = 30 * 24 * 60 * 60;

/** Writes a session row and returns its token; the caller puts the token in the session cookie. */
export async function createSessionRow(userId: string, request: RequestInfo, executor: Executor = db) {
  const sessionToken = randomBytes(32).toString("base64url");
  await executor.insert(sessions).values({
    sessionToken,
    userId,
    expires: new Date(Date.now() + sessionMaxAgeSeconds * 1000),
    userAgent: request.userAgent,
    ipAddress: request.ipAddress,
  });
  return sessionToken;
}

export async function listActiveSessions(userId: string) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastActiveAt: sessions.lastActiveAt,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expires, sql`now()`)))
    .orderBy(desc(sessions.lastActiveAt));
}

/** Records activity at most once a minute per session, so page views do not each write a row. */
export async function touchSession(sessionId: string) {
  await db
    .update(sessions)
    .set({ lastActiveAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), lt(sessions.lastActiveAt, sql`now() - interval '1 minute'`)));
}

type Actor = { userId: string; organizationId: string | null; request: RequestInfo };

/** Revokes one of the user's own sessions; the owner check is in the WHERE. */
export async function revokeSession(actor: Actor, sessionId: string) {
  return withTransaction(async ({ tx }) => {
    const removed = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.userId), eq(sessions.id, sessionId)))
      .returning({ id: sessions.id });
    if (removed.length === 0) return false;
    await writeAudit(
      { action: "session.revoked", actorUserId: actor.userId, organizationId: actor.organizationId, targetType: "session", targetId: sessionId, ...actor.request },
      tx,
    );
    return true;
  });
}

export async function revokeOtherSessions(actor: Actor, keepSessionId: string) {
  return withTransaction(async ({ tx }) => {
    const removed = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.userId), ne(sessions.id, keepSessionId)))
      .returning({ id: sessions.id });
    await writeAudit(
      { action: "session.revoked_others", actorUserId: actor.userId, organizationId: actor.organizationId, targetType: "user", targetId: actor.userId, metadata: { count: removed.length }, ...actor.request },
      tx,
    );
    return removed.length;
  });
}

/** Ends every session of a user (password reset, disabling); run it in the transaction that makes that change. */
export async function revokeAllSessions(executor: Executor, userId: string) {
  const removed = await executor.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return removed.length;
}
