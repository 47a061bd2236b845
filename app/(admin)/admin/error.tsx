"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// Inside the console's shell; the error itself is not rendered (it can hold internal details), its digest is.
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      icon={TriangleAlertIcon}
      title="This page could not be loaded"
      description={
        <>
          Something went wrong on our side. Try again; if it keeps failing, check the system page.
          {error.digest && <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>}
        </>
      }
      action={<Button onClick={reset}>Try again</Button>}
      className="mx-auto max-w-md"
    />
  );
}
