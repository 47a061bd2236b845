import { z } from "zod";
import type { Viewer } from "@/lib/auth/viewer";
import { paymentErrorResponse } from "@/lib/payments/route-errors";
import { capturePayPalOrder } from "@/lib/payments/paypal/orders";
import { routeError, sessionRoute } from "@/lib/session-route";

const orderId = z.string().regex(/^[A-Z0-9]{1,64}$/);

/** The PayPal buttons' onApprove (SPEC section 7): capture the approved order and grant when it completed. */
export const POST = sessionRoute(
  { schema: z.object({}).passthrough(), roles: ["client_admin"], requireVerifiedEmail: true },
  async (_input, { viewer, params }: { viewer: Viewer; params: { orderId: string } }) => {
    const parsed = orderId.safeParse(params.orderId);
    if (!parsed.success) return routeError("not_found", "That order does not exist.");
    try {
      const answer = await capturePayPalOrder({
        orderId: parsed.data,
        organizationId: viewer.organizationId,
        anyOrganization: viewer.role === "business_admin",
      });
      return Response.json(answer);
    } catch (error) {
      return paymentErrorResponse(error);
    }
  },
);
