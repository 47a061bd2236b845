import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getViewer } from "@/lib/auth/viewer";
import { getProfile } from "@/lib/users/profile";
import { ProfileAvatar } from "../_components/avatar";
import { ProfileForm } from "../_components/profile-form";
import { SettingsHeader } from "../_components/settings-nav";

export const metadata: Metadata = { title: "Profile settings" };

export default async function ProfilePage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/sign-in?callbackUrl=/settings/profile");
  const profile = await getProfile(viewer.userId);
  if (!profile) redirect("/sign-in");
  return (
    <div className="space-y-6">
      <SettingsHeader active="profile" />
      <Card>
        <CardHeader className="flex-row items-center gap-4">
          <ProfileAvatar name={profile.name} email={profile.email} image={profile.image} />
          <div className="min-w-0 space-y-1">
            <CardTitle className="truncate">{profile.name || profile.email}</CardTitle>
            <CardDescription className="flex flex-wrap items-center gap-2">
              <span className="truncate">{profile.email}</span>
              <Badge variant={profile.emailVerified ? "success" : "warning"}>{profile.emailVerified ? "Verified" : "Not verified yet"}</Badge>
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="text-sm text-muted-foreground">
            {profile.image
              ? "Your avatar comes from the provider you signed in with; change it there."
              : "No avatar came from a sign-in provider, so your initials are shown. Link a provider under Security to use its picture."}
          </p>
          <ProfileForm name={profile.name ?? ""} email={profile.email} />
        </CardContent>
      </Card>
    </div>
  );
}
