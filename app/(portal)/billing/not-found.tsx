import Link from "next/link";
import { ReceiptTextIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * For a receipt, invoice or checkout return that is not the viewer's. Inside the portal shell, so not the
 * root page's full-screen version. It reads the same whether the payment is missing or another organization's.
 */
export default function BillingNotFound() {
  return (
    <EmptyState
      icon={ReceiptTextIcon}
      title="Payment not found"
      description="There is no such payment in your organization."
      action={
        <Button asChild>
          <Link href="/billing">Back to billing</Link>
        </Button>
      }
      className="mx-auto max-w-md"
    />
  );
}
