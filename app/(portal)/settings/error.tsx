"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// The error itself is not rendered (it can hold internal details); the digest matches the server log entry.
export default function SettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      icon={TriangleAlertIcon}
      title="Settings could not be loaded"
      description={
        <>
          Nothing was changed. Try again in a moment.
          {error.digest && <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>}
        </>
      }
      action={<Button onClick={reset}>Try again</Button>}
    />
  );
}
