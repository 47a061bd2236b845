"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createAction, failure, success } from "@/lib/actions";
import { PaymentError, purchaseWithTestPayment } from "@/lib/payments";
import { createStripeCheckout } from "@/lib/payments/stripe/checkout";

const purchaseSchema = z.object({ packageId: z.uuid() });
// The browser makes one id per purchase attempt, so a double submit or a retried request buys once.
const testPurchaseSchema = purchaseSchema.extend({ requestId: z.uuid() });

function purchaseFailure(error: unknown) {
  if (!(error instanceof PaymentError)) throw error;
  if (error.code === "package_unavailable") return failure("That package is no longer available. Reload the page.");
  return failure(error.message);
}

export const buyWithTestPayment = createAction(testPurchaseSchema, "credits.buy", async ({ packageId, requestId }, { viewer, organization }) => {
  try {
    const purchase = await purchaseWithTestPayment({ organizationId: organization.id, packageId, userId: viewer.userId, requestId });
    revalidatePath("/billing");
    revalidatePath("/dashboard");
    return success(purchase);
  } catch (error) {
    return purchaseFailure(error);
  }
});

/** Starts Stripe Checkout for a package of ours and sends the buyer there; the amount never comes from the browser. */
export const startStripeCheckout = createAction(purchaseSchema, "credits.buy", async ({ packageId }, { viewer, organization }) => {
  let url: string;
  try {
    ({ url } = await createStripeCheckout({ organizationId: organization.id, userId: viewer.userId, email: viewer.email, packageId }));
  } catch (error) {
    return purchaseFailure(error);
  }
  redirect(url);
});
