import { Skeleton } from "@/components/ui/skeleton";

export default function ReceiptLoading() {
  return (
    <div role="status" aria-live="polite" className="mx-auto max-w-2xl space-y-6">
      <span className="sr-only">Loading the receipt…</span>
      <Skeleton className="h-9 w-40" />
      <Skeleton className="h-96" />
    </div>
  );
}
