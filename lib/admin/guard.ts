import { notFound, redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/viewer";

/**
 * Every admin page calls this itself (the layout and proxy.ts are conveniences, not the access control).
 * Anyone but a business admin gets "not found": the console does not announce that it exists.
 */
export async function requireBusinessAdmin(path: string) {
  const viewer = await getViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  if (viewer.role !== "business_admin") notFound();
  return viewer;
}
