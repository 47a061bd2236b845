import { z } from "zod";
import { paymentErrorResponse } from "@/lib/payments/route-errors";
import { createPayPalOrder } from "@/lib/payments/paypal/orders";
import { sessionRoute } from "@/lib/session-route";

/** The PayPal buttons' createOrder (SPEC section 7): an order for one of our packages, for the caller's organization. */
export const POST = sessionRoute(
  { schema: z.object({ packageId: z.uuid() }), permission: "credits.buy" },
  async ({ packageId }, { viewer, organization }) => {
    try {
      const { orderId } = await createPayPalOrder({ organizationId: organization.id, userId: viewer.userId, packageId });
      return Response.json({ orderId }, { status: 201 });
    } catch (error) {
      return paymentErrorResponse(error);
    }
  },
);
