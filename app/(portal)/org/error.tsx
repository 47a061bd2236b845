"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// The error itself is not shown: it can hold internal details. The digest matches the server log entry.
export default function OrganizationError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      icon={TriangleAlertIcon}
      title="The organization page could not be loaded"
      description={
        <>
          Something went wrong on our side. Try again in a moment.
          {error.digest && <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>}
        </>
      }
      action={<Button onClick={reset}>Try again</Button>}
    />
  );
}
