"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createAction, failure, success } from "@/lib/actions";
import { resendVerificationEmail } from "@/lib/auth/verification";

export const resendVerification = createAction(z.object({}), {}, async (_input, { viewer }) => {
  if (viewer.emailVerified) return failure("Your email address is already verified.");
  await resendVerificationEmail(viewer.userId);
  revalidatePath("/", "layout");
  return success({ email: viewer.email });
});
