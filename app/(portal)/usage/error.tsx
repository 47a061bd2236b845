"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// The error itself is not shown: it can hold database details. The digest matches the server's log entry.
export default function UsageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  return (
    <EmptyState
      icon={TriangleAlertIcon}
      title="Usage could not be loaded"
      description={
        <>
          Something went wrong while reading your usage. Please try again.
          {digest && <span className="mt-2 block font-mono text-xs">Reference: {digest}</span>}
        </>
      }
      action={<Button onClick={() => retry()}>Try again</Button>}
      className="border-solid"
    />
  );
}
