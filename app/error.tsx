"use client";

import { TriangleAlertIcon } from "lucide-react";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

type ErrorPageProps = {
  error: Error & { digest?: string };
  reset: () => void;
};

// The error itself is deliberately not rendered: it can hold database or internal details.
// The digest matches the server log entry, so support can find it.
export default function ErrorPage({ error, reset }: ErrorPageProps) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <EmptyState
        icon={TriangleAlertIcon}
        title="Something went wrong"
        description={
          <>
            An unexpected error occurred. Please try again.
            {error.digest && (
              <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>
            )}
          </>
        }
        action={<Button onClick={reset}>Try again</Button>}
        className="w-full max-w-md border-solid"
      />
    </main>
  );
}
