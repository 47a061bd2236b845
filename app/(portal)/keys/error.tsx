"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function KeysError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} what="Your API keys" home={{ href: "/dashboard", label: "Back to the dashboard" }} />;
}
