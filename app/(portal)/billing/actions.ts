"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAction, failure, success } from "@/lib/actions";
import { PackageUnavailableError, purchaseWithTestPayment, TestPaymentsDisabledError } from "@/lib/payments";

export const buyWithTestPayment = createAction(
  z.object({ packageId: z.uuid() }),
  { roles: ["client_admin"], requireVerifiedEmail: true },
  async ({ packageId }, { viewer, organization }) => {
    try {
      const purchase = await purchaseWithTestPayment({ organizationId: organization.id, packageId, userId: viewer.userId });
      revalidatePath("/billing");
      revalidatePath("/dashboard");
      return success(purchase);
    } catch (error) {
      if (error instanceof TestPaymentsDisabledError) return failure("Test payments are not available here.");
      if (error instanceof PackageUnavailableError) return failure("That package is no longer available. Reload the page.");
      throw error;
    }
  },
);
