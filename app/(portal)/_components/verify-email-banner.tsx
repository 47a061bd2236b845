"use client";

import { MailIcon } from "lucide-react";
import { usePathname } from "next/navigation";
import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { resendVerification } from "../actions";

/** Sends a new verification link; the answer shows beside the button and as a toast. */
export function ResendVerificationForm({ className }: { className?: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<{ email: string }> | null) => resendVerification({}),
    null,
  );
  useEffect(() => {
    if (!state) return;
    if (state.success) toast.success(`We sent a new link to ${state.data.email}.`);
    else toast.error(state.error);
  }, [state]);
  return (
    <form action={action} className={className}>
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        {pending ? "Sending…" : "Resend link"}
      </Button>
      {state && (
        <p role="status" className="mt-2 text-sm">
          {state.success ? `We sent a new link to ${state.data.email}.` : state.error}
        </p>
      )}
    </form>
  );
}

/**
 * A quiet reminder on the pages where verification is needed to act (buying credits, creating keys). The
 * dashboard has the onboarding checklist, which carries the same step, so the notice stays off there.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const pathname = usePathname();
  if (pathname === "/dashboard") return null;
  return (
    <div
      role="region"
      aria-label="Email verification"
      className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b bg-muted/40 px-4 py-2 text-sm md:px-8"
    >
      <MailIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      <p className="min-w-0 flex-1">
        Verify <strong className="break-all">{email}</strong> to buy credits and create API keys. Check your inbox for the link.
      </p>
      <ResendVerificationForm />
    </div>
  );
}
