import { notFound, redirect } from "next/navigation";
import { can, type Permission } from "@/lib/auth/permissions";
import { getViewer } from "@/lib/auth/viewer";
import { getOrganization } from "@/lib/orgs";

/**
 * The viewer and their organization for an organization page, or a 404 for a role the permission table does
 * not give `permission` (the navigation does not show these pages to them either).
 */
export async function loadOrgPage(permission: Permission, path: string) {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (!can(viewer.role, permission)) notFound();
  const organization = await getOrganization(viewer.organizationId);
  if (!organization) redirect("/sign-in");
  return { viewer, organization };
}
