import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/viewer";
import { ProfileForm } from "../_components/profile-form";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/profile");
  return (
    <div className="space-y-6">
      <SettingsHeader title="Profile" />
      <p className="text-sm text-muted-foreground">
        {viewer.email} · {viewer.emailVerified ? "verified" : "not verified yet"}
      </p>
      <ProfileForm name={viewer.name ?? ""} />
    </div>
  );
}
