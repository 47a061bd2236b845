"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function BillingError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} what="Billing" home={{ href: "/dashboard", label: "Back to the dashboard" }} />;
}
