"use client";

import "./globals.css";
import { ErrorPanel } from "@/components/ui/error-panel";

/** Replaces the root layout when the layout itself fails, so it brings its own <html> and <body>. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <title>Something went wrong · Credit Portal</title>
        <main className="flex min-h-dvh items-center justify-center p-6">
          <div className="w-full max-w-md">
            <ErrorPanel error={error} reset={reset} />
          </div>
        </main>
      </body>
    </html>
  );
}
