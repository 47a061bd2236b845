"use client";

import Link from "next/link";
import { TriangleAlertIcon } from "lucide-react";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

type ErrorPanelProps = {
  error: Error & { digest?: string };
  /** Renders the segment again (the `reset` an error boundary receives). */
  reset: () => void;
  /** What failed to load, for the title: "Your API keys could not be loaded". */
  what?: string;
  home?: { href: string; label: string };
};

/**
 * The body of every error boundary. The error itself is deliberately not shown: it can hold database or
 * internal details. The digest matches the server log entry, so support can find it.
 */
export function ErrorPanel({ error, reset, what, home = { href: "/", label: "Go home" } }: ErrorPanelProps) {
  const heading = useRef<HTMLDivElement>(null);
  // A keyboard or screen-reader user lands on the message, not on wherever focus was when it broke.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div ref={heading} tabIndex={-1} role="alert" className="outline-none">
      <EmptyState
        icon={TriangleAlertIcon}
        title={what ? `${what} could not be loaded` : "Something went wrong"}
        description={
          <>
            An unexpected error occurred. Try again; if it keeps happening, contact support.
            {error.digest && <span className="mt-2 block font-mono text-xs">Reference: {error.digest}</span>}
          </>
        }
        action={
          <div className="flex flex-wrap justify-center gap-2">
            <Button onClick={reset}>Try again</Button>
            <Button asChild variant="outline">
              <Link href={home.href}>{home.label}</Link>
            </Button>
          </div>
        }
        className="w-full border-solid"
      />
    </div>
  );
}
