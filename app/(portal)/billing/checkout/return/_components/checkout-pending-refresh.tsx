"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const intervalMs = 2_000;
const giveUpAfterMs = 2 * 60_000;

/**
 * Re-renders the return page every 2 s while the payment is pending: each render asks Stripe again and
 * grants when it is paid. A bank debit can take days, so after two minutes it stops and says so.
 */
export function CheckoutPendingRefresh() {
  const router = useRouter();
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started >= giveUpAfterMs) {
        clearInterval(timer);
        setGaveUp(true);
        return;
      }
      router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
      {gaveUp
        ? "This is taking longer than usual. The credits will be added as soon as the payment clears, and you will get an email receipt. You can leave this page."
        : "Checking again every few seconds…"}
    </p>
  );
}
