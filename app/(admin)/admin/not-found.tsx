import Link from "next/link";
import { SearchXIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function AdminNotFound() {
  return (
    <EmptyState
      icon={SearchXIcon}
      title="Not found"
      description="There is no such organization, user or page."
      action={
        <Button asChild>
          <Link href="/admin/organizations">Back to organizations</Link>
        </Button>
      }
      className="mx-auto max-w-md"
    />
  );
}
