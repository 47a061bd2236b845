import { Skeleton } from "@/components/ui/skeleton";

export default function DocsLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading the API docs…</span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="h-4 w-full max-w-prose" />
      {Array.from({ length: 3 }, (_, index) => (
        <Skeleton key={index} className="h-56 w-full" />
      ))}
    </div>
  );
}
