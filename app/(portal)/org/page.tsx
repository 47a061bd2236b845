import { redirect } from "next/navigation";

export default function OrganizationPage() {
  redirect("/org/members");
}
