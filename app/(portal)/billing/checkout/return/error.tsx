"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function CheckoutReturnError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} what="Your checkout" home={{ href: "/billing", label: "Back to billing" }} />;
}
