"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { resendVerification } from "../actions";

export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<{ email: string }> | null) => resendVerification({}),
    null,
  );
  return (
    <div role="region" aria-label="Email verification" className="flex flex-wrap items-center gap-3 border-b bg-amber-50 px-4 py-2 text-sm text-amber-950 md:px-8 dark:bg-amber-950/40 dark:text-amber-100">
      <p>
        Verify <strong>{email}</strong> to buy credits and create API keys. Check your inbox for the link.
      </p>
      <form action={action} className="ml-auto">
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          {pending ? "Sending…" : "Resend link"}
        </Button>
      </form>
      {state && (
        <p role="status" className="w-full">
          {state.success ? `We sent a new link to ${state.data.email}.` : state.error}
        </p>
      )}
    </div>
  );
}
