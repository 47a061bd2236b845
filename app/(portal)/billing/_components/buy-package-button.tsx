"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { formatCredits } from "@/lib/format";
import { buyWithTestPayment } from "../actions";


/** Buys one package with the development test provider; the result shows as a toast. */
export function BuyPackageButton({ packageId, packageName }: { packageId: string; packageName: string }) {
  const [pending, startTransition] = useTransition();
  const buy = () =>
    startTransition(async () => {
      const result = await buyWithTestPayment({ packageId });
      if (result.success) {
        toast.success(`Added ${formatCredits(result.data.credits)} credits. Balance: ${formatCredits(result.data.balance)}.`);
      } else {
        toast.error(result.error);
      }
    });
  return (
    <Button onClick={buy} disabled={pending} className="w-full" aria-label={`Buy ${packageName} with a test payment`}>
      {pending ? "Processing…" : "Buy with test payment"}
    </Button>
  );
}
