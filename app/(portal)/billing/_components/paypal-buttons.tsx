"use client";

import { loadScript, type OnApproveData, type PayPalButtonsComponent } from "@paypal/paypal-js";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { formatCredits } from "@/lib/format";

type PayPalButtonsProps = {
  clientId: string;
  currency: string;
  packageId: string;
  /** True from a click on a PayPal button until PayPal's window closes, so the dialog can stay open meanwhile. */
  onCheckoutActiveChange: (active: boolean) => void;
  onPaid: () => void;
};

type CaptureAnswer = { status: "completed" | "pending"; credits: number; balance: number };
type Message = { tone: "error" | "info"; text: string };

// A blocked script often neither loads nor fails (a firewall that drops packets), so the wait is bounded.
const sdkTimeoutMs = 20_000;
const unavailable = "PayPal could not be loaded. Check your connection or pay by card.";
const failed = "PayPal could not complete the payment. Nothing was charged. Try again or pay by card.";

/** POSTs to one of our PayPal routes; a refusal throws with the route's own message (SPEC section 2 body). */
async function postJson<T>(url: string, body: object = {}): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const data = (await response.json().catch(() => null)) as { message?: string } | null;
  if (!response.ok) throw new Error(data?.message ?? failed);
  return data as T;
}

function withTimeout<T>(promise: Promise<T>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Loads PayPal's JS SDK when mounted (the dialog opens) and renders its buttons. createOrder and onApprove
 * call our session routes, which take the amount from our package and grant the credits; nothing the SDK
 * reports is trusted on its own.
 */
export function PayPalButtons({ clientId, currency, packageId, onCheckoutActiveChange, onPaid }: PayPalButtonsProps) {
  const router = useRouter();
  const container = useRef<HTMLDivElement>(null);
  const [sdk, setSdk] = useState<"loading" | "ready" | "unavailable">("loading");
  const [attempt, setAttempt] = useState(0);
  const [message, setMessage] = useState<Message | null>(null);
  // The SDK keeps the callbacks it was rendered with; they read the parent's latest ones through this ref.
  const parent = useRef({ router, onCheckoutActiveChange, onPaid });
  useEffect(() => {
    parent.current = { router, onCheckoutActiveChange, onPaid };
  });

  useEffect(() => {
    let cancelled = false;
    let buttons: PayPalButtonsComponent | undefined;
    // createOrder's refusal (say, an unverified email) is the message to show when PayPal then calls onError.
    let refusal: string | undefined;
    const settle = (next: Message | null) => {
      parent.current.onCheckoutActiveChange(false);
      if (!cancelled) setMessage(next);
    };
    const createOrder = async () => {
      refusal = undefined;
      try {
        const { orderId } = await postJson<{ orderId: string }>("/api/payments/paypal/orders", { packageId });
        return orderId;
      } catch (error) {
        refusal = (error as Error).message;
        throw error;
      }
    };
    const onApprove = async (data: OnApproveData) => {
      try {
        const answer = await postJson<CaptureAnswer>(`/api/payments/paypal/orders/${encodeURIComponent(data.orderID)}/capture`);
        settle(null);
        if (answer.status === "completed") {
          toast.success(`Added ${formatCredits(answer.credits)} credits. Balance: ${formatCredits(answer.balance)}.`);
        } else {
          toast.info("PayPal has not confirmed the payment yet. The credits are added as soon as it does, and you will get an email receipt.");
        }
        parent.current.onPaid();
        parent.current.router.refresh();
      } catch (error) {
        settle({ tone: "error", text: (error as Error).message });
      }
    };

    withTimeout(loadScript({ clientId, currency: currency.toUpperCase(), intent: "capture" }), sdkTimeoutMs)
      .then(async (paypal) => {
        if (cancelled) return;
        if (!paypal?.Buttons || !container.current) throw new Error("the SDK has no Buttons component");
        buttons = paypal.Buttons({
          style: { layout: "vertical", label: "pay" },
          onClick: () => {
            setMessage(null);
            parent.current.onCheckoutActiveChange(true);
          },
          createOrder,
          onApprove,
          onCancel: () => settle({ tone: "info", text: "You closed PayPal before paying. Nothing was charged." }),
          onError: () => settle({ tone: "error", text: refusal ?? failed }),
        });
        if (!buttons.isEligible()) throw new Error("PayPal is not available for this currency or browser");
        await buttons.render(container.current);
        if (!cancelled) setSdk("ready");
      })
      .catch((error: unknown) => {
        console.warn("[paypal] the SDK could not be loaded:", error);
        if (!cancelled) setSdk("unavailable");
      });
    return () => {
      cancelled = true;
      buttons?.close().catch(() => undefined);
    };
  }, [clientId, currency, packageId, attempt]);

  const retry = () => {
    setSdk("loading");
    setAttempt((value) => value + 1);
  };

  return (
    <div className="space-y-3">
      {sdk === "loading" && (
        <p role="status" className="text-sm text-muted-foreground">
          Loading PayPal…
        </p>
      )}
      {sdk === "unavailable" && (
        <div role="alert" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
          <p>{unavailable}</p>
          <Button type="button" size="sm" variant="outline" onClick={retry}>
            Try again
          </Button>
        </div>
      )}
      <div ref={container} hidden={sdk === "unavailable"} data-testid="paypal-buttons" />
      {message && (
        <p role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-sm font-medium text-destructive" : "text-sm text-muted-foreground"}>
          {message.text}
        </p>
      )}
    </div>
  );
}
