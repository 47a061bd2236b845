import type * as React from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { getOrganization } from "@/lib/orgs";
import { signOutAction } from "../(auth)/actions";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const viewer = await requireBusinessAdmin("/admin");
  const organization = await getOrganization(viewer.organizationId);
  return (
    <AppShell
      viewer={{ name: viewer.name, email: viewer.email, image: viewer.image, role: viewer.role }}
      organization={{ name: organization ? `Admin console · ${organization.name}` : "Admin console" }}
      signOutAction={signOutAction}
    >
      {children}
    </AppShell>
  );
}
