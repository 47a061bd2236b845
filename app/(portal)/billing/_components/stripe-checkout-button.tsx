"use client";

import { useActionState, useId } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { startStripeCheckout } from "../actions";

/**
 * On success the action redirects to Stripe Checkout, so only a refusal (unverified email, package gone,
 * Stripe down) ever comes back here, and it shows next to the button. The button stays pending until the
 * browser has left for Stripe, so a second click cannot start a second Checkout.
 */
export function StripeCheckoutButton({ packageId, packageName }: { packageId: string; packageName: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<never> | null, formData: FormData) => startStripeCheckout(formData),
    null,
  );
  const errorId = useId();
  const error = state && !state.success ? state.error : undefined;
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="packageId" value={packageId} />
      <Button type="submit" disabled={pending} aria-describedby={error ? errorId : undefined} className="w-full">
        {pending ? "Opening checkout…" : "Pay with card"}
        <span className="sr-only"> for {packageName}</span>
      </Button>
      {error && (
        <p id={errorId} role="alert" className="text-sm font-medium text-destructive">
          {error}
        </p>
      )}
    </form>
  );
}
