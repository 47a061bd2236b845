"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-md">
        <ErrorPanel error={error} reset={reset} />
      </div>
    </main>
  );
}
