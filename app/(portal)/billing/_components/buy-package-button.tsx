"use client";

import { useRef, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { formatCredits } from "@/lib/format";
import { buyWithTestPayment } from "../actions";

/** Buys one package with the development test provider; the result shows as a toast. */
export function BuyPackageButton({ packageId, packageName }: { packageId: string; packageName: string }) {
  const [pending, startTransition] = useTransition();
  // `disabled` only applies after React re-renders; a double click can land before that, so one purchase
  // at a time is also held here (the test provider pays at once, so a second call would be a second payment).
  const inFlight = useRef(false);
  const buy = () => {
    if (inFlight.current) return;
    inFlight.current = true;
    startTransition(async () => {
      try {
        const result = await buyWithTestPayment({ packageId, requestId: crypto.randomUUID() });
        if (result.success) {
          toast.success(`Added ${formatCredits(result.data.credits)} credits. Balance: ${formatCredits(result.data.balance)}.`);
        } else {
          toast.error(result.error);
        }
      } catch {
        toast.error("The purchase could not be sent. Check your connection and try again.");
      } finally {
        inFlight.current = false;
      }
    });
  };
  return (
    <Button onClick={buy} disabled={pending} variant="outline" className="w-full">
      {pending ? "Processing…" : "Buy with test payment"}
      <span className="sr-only"> for {packageName}</span>
    </Button>
  );
}
