import { Skeleton } from "@/components/ui/skeleton";

export default function CheckoutReturnLoading() {
  return (
    <div role="status" aria-live="polite" className="mx-auto max-w-xl space-y-4">
      <p className="text-sm text-muted-foreground">Confirming your payment with Stripe…</p>
      <Skeleton className="h-48" />
    </div>
  );
}
