"use client";

import { AlertTriangleIcon } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // The server logged the cause; the digest ties this browser's report to that log line.
    console.error(error.digest ?? error.message);
  }, [error]);
  return (
    <div role="alert">
      <EmptyState
        icon={AlertTriangleIcon}
        title="The dashboard could not be loaded"
        description={error.digest ? `Try again in a moment. If it keeps failing, quote reference ${error.digest}.` : "Try again in a moment."}
        action={<Button onClick={reset}>Try again</Button>}
      />
    </div>
  );
}
