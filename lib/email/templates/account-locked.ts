import { defineEmailTemplate, emailLayout } from "./define";

export const accountLockedTemplate = defineEmailTemplate(
  "account-locked",
  (props: { name: string | null; attempts: number; unlocksAt: Date; resetUrl: string }) =>
    emailLayout({
      subject: "Your account is temporarily locked",
      greeting: props.name ? `Hi ${props.name},` : "Hi,",
      paragraphs: [
        `After ${props.attempts} wrong passwords in a row, sign-in to your account is locked until ${props.unlocksAt.toUTCString()}.`,
        "If this was not you, reset your password now.",
      ],
      action: { label: "Reset password", url: props.resetUrl },
    }),
);
