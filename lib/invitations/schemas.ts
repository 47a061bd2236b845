import { z } from "zod";
import { newPasswordSchema } from "@/lib/auth/schemas";
import { safeText } from "@/lib/validation/text";

/** Shared by the invitation page's sign-up form and its action (no server-only imports). */
export const invitationTokenSchema = z.string().min(1).max(200);

export const invitationSignUpSchema = z.object({
  token: invitationTokenSchema,
  name: safeText().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  password: newPasswordSchema,
});
