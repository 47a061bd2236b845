import { Skeleton } from "@/components/ui/skeleton";

export default function AuthLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4 rounded-lg border p-6">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-6 w-32" />
      <Skeleton className="h-4 w-56" />
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-9 w-full" />
    </div>
  );
}
