"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function AuthError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel error={error} reset={reset} home={{ href: "/sign-in", label: "Back to sign in" }} />;
}
