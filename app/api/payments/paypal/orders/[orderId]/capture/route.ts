import { z } from "zod";
import { mayTargetOtherOrganizations } from "@/lib/auth/permissions";
import { paymentErrorResponse } from "@/lib/payments/route-errors";
import { capturePayPalOrder } from "@/lib/payments/paypal/orders";
import { routeError, sessionRoute, type SessionRouteContext } from "@/lib/session-route";

const orderId = z.string().regex(/^[A-Z0-9]{1,64}$/);

/** The PayPal buttons' onApprove (SPEC section 7): capture the approved order and grant when it completed. */
export const POST = sessionRoute(
  { schema: z.object({}).passthrough(), permission: "credits.buy" },
  async (_input, { viewer, organization, params }: SessionRouteContext<{ orderId: string }>) => {
    const parsed = orderId.safeParse(params.orderId);
    if (!parsed.success) return routeError("not_found", "That order does not exist.");
    try {
      const answer = await capturePayPalOrder({
        orderId: parsed.data,
        organizationId: organization.id,
        anyOrganization: mayTargetOtherOrganizations(viewer.role, "credits.buy"),
      });
      return Response.json(answer);
    } catch (error) {
      return paymentErrorResponse(error);
    }
  },
);
