import { Skeleton } from "@/components/ui/skeleton";

export default function SettingsLoading() {
  return (
    <div className="space-y-6" role="status" aria-live="polite">
      <span className="sr-only">Loading settings…</span>
      <div className="space-y-3">
        <Skeleton className="h-8 w-32" />
        <div className="flex gap-2 border-b pb-2">
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} className="h-6 w-20" />
          ))}
        </div>
      </div>
      <Skeleton className="h-72 w-full" />
    </div>
  );
}
