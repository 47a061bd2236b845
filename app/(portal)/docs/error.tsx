"use client";

import { TriangleAlertIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function DocsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      icon={TriangleAlertIcon}
      title="The API docs could not be loaded"
      description={
        <>
          Try again in a moment. The raw document is also at <a className="text-primary underline" href="/api/openapi.json">/api/openapi.json</a>.
          {error.digest && <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>}
        </>
      }
      action={<Button onClick={reset}>Try again</Button>}
    />
  );
}
