import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { commonPasswords } from "./common-passwords";

/**
 * Form schemas shared by the browser and the server, so both give the same field errors.
 * No server-only imports here: the sign-up form bundles this file.
 */

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address.").max(254, "That email address is too long."));

export const newPasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(128, "Use at most 128 characters.")
  .refine((value) => !commonPasswords.has(value.toLowerCase()), "This password is too common. Choose another.")
  .refine((value) => new Set(value).size > 3, "Use a less repetitive password.");

export const signUpSchema = z.object({
  name: safeText().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(128),
  callbackUrl: z.string().optional(),
});

export const resetRequestSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({
  token: z.string().min(20).max(200),
  password: newPasswordSchema,
});

export const profileSchema = z.object({
  name: safeText().min(1, "Enter your name.").max(100, "Use at most 100 characters."),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
