import { z } from "zod";
import { emailSchema } from "@/lib/auth/schemas";
import { memberRoles } from "@/lib/auth/permissions";
import { safeText } from "@/lib/validation/text";

/** Form schemas shared by the organization pages and their actions (no server-only imports). */

export const organizationSettingsSchema = z.object({
  name: safeText().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  // "all" keeps every configured scope grantable, now and when more are configured; otherwise the checked ones.
  memberScopesMode: z.enum(["all", "listed"]),
  memberKeyScopes: z.array(z.string().min(1).max(50)).max(50).default([]),
});

export const lowCreditThresholdSchema = z.object({
  // An empty field is a missing number, not zero.
  lowCreditThreshold: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: "Enter a whole number of credits." })
      .int("Enter a whole number of credits.")
      .min(0, "The threshold cannot be negative.")
      .max(1_000_000_000, "Use at most 1,000,000,000 credits."),
  ),
});

export const inviteMemberSchema = z.object({
  email: emailSchema,
  role: z.enum(memberRoles, "Choose a role."),
});

export const memberRoleSchema = z.object({ memberId: z.string().min(1).max(100), role: z.enum(memberRoles, "Choose a role.") });
export const memberIdSchema = z.object({ memberId: z.string().min(1).max(100) });
export const invitationIdSchema = z.object({ invitationId: z.uuid() });
