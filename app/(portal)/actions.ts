"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAction, failure, success } from "@/lib/actions";
import { resendThrottledMessage, resendVerificationEmail } from "@/lib/auth/verification";

export const resendVerification = createAction(z.object({}), "account.update", async (_input, { viewer }) => {
  if (viewer.emailVerified) return failure("Your email address is already verified.");
  const result = await resendVerificationEmail(viewer.userId);
  if (result.status === "throttled") return failure(resendThrottledMessage(result.retryAfterSeconds));
  revalidatePath("/", "layout");
  return success({ email: viewer.email });
});
