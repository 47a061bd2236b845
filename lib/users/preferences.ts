import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";

/** The optional emails a user can turn off; security emails (verification, reset, lockout) always go out. */
export const notificationPreferences = ["notifyLowCredit", "notifyForecast", "notifyReceipts"] as const;
export type NotificationPreference = (typeof notificationPreferences)[number];
export type NotificationPreferences = Record<NotificationPreference, boolean>;

export const preferenceChangeSchema = z.object({
  preference: z.enum(notificationPreferences),
  enabled: z.boolean(),
});

export async function getNotificationPreferences(userId: string): Promise<NotificationPreferences | null> {
  const [row] = await db
    .select({ notifyLowCredit: users.notifyLowCredit, notifyForecast: users.notifyForecast, notifyReceipts: users.notifyReceipts })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

/**
 * Sets one preference. One column per call, so two switches flipped in quick succession cannot overwrite
 * each other with a stale copy of the other's value.
 */
export async function setNotificationPreference(userId: string, preference: NotificationPreference, enabled: boolean) {
  const [row] = await db
    .update(users)
    .set({ [preference]: enabled, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ notifyLowCredit: users.notifyLowCredit, notifyForecast: users.notifyForecast, notifyReceipts: users.notifyReceipts });
  return row ?? null;
}
