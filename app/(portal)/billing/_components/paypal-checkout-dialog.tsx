"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { PayPalButtons } from "./paypal-buttons";

type PayPalCheckoutDialogProps = {
  /** NEXT_PUBLIC_PAYPAL_CLIENT_ID, read on the server: NEXT_PUBLIC values are fixed at build time otherwise. */
  clientId: string;
  currency: string;
  packageId: string;
  packageName: string;
  /** "1,000 credits for $10.00" */
  summary: string;
};

/** PayPal's SDK is loaded only when someone opens this dialog, not for every visit to the billing page. */
export function PayPalCheckoutDialog({ clientId, currency, packageId, packageName, summary }: PayPalCheckoutDialogProps) {
  const [open, setOpen] = useState(false);
  const [checkoutActive, setCheckoutActive] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" className="w-full">
          Pay with PayPal
          <span className="sr-only"> for {packageName}</span>
        </Button>
      </DialogTrigger>
      {/* PayPal lays its own overlay over the page while its window is open; a click there must not close us. */}
      <DialogContent onInteractOutside={(event) => checkoutActive && event.preventDefault()}>
        <DialogHeader>
          <DialogTitle>Pay for {packageName} with PayPal</DialogTitle>
          <DialogDescription>
            {summary}. PayPal opens in its own window; the credits are added as soon as PayPal confirms the payment.
          </DialogDescription>
        </DialogHeader>
        <PayPalButtons
          clientId={clientId}
          currency={currency}
          packageId={packageId}
          onCheckoutActiveChange={setCheckoutActive}
          onPaid={() => setOpen(false)}
        />
      </DialogContent>
    </Dialog>
  );
}
