import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/viewer";
import { getNotificationPreferences } from "@/lib/users/preferences";
import { NotificationSwitches } from "../_components/notification-switches";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Notification settings" };

export default async function NotificationsPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/notifications");
  const preferences = await getNotificationPreferences(viewer.userId);
  if (!preferences) redirect("/sign-in");
  return (
    <div className="space-y-6">
      <SettingsHeader active="notifications" />
      <Card>
        <CardHeader>
          <CardTitle>Email notifications</CardTitle>
          <CardDescription>
            Choose which optional emails you get at {viewer.email}. Alerts about the balance go to the organization&apos;s
            admins. Security emails (verifying your address, password resets, a locked account, a sign-up attempt with your
            address) always go out.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <NotificationSwitches preferences={preferences} />
        </CardContent>
      </Card>
    </div>
  );
}
