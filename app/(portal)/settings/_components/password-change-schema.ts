import { z } from "zod";
import { newPasswordSchema } from "@/lib/auth/schemas";

/** Shared by the form and the action, so both give the same field errors; the rules are sign-up's. */
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(128, "That is not your current password."),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((input) => input.newPassword === input.confirmPassword, { message: "The two new passwords do not match.", path: ["confirmPassword"] });
