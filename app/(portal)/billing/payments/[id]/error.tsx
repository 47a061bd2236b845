"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function ReceiptError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} what="This receipt" home={{ href: "/billing", label: "Back to billing" }} />;
}
