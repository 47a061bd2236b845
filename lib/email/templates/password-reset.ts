import { defineEmailTemplate, emailLayout } from "./define";

export const passwordResetTemplate = defineEmailTemplate("password-reset", (props: { name: string | null; url: string }) =>
  emailLayout({
    subject: "Reset your password",
    greeting: props.name ? `Hi ${props.name},` : "Hi,",
    paragraphs: [
      "Someone asked to reset the password of your account. The link is valid for one hour and works once.",
      "Resetting signs you out on every device.",
    ],
    action: { label: "Choose a new password", url: props.url },
    footer: "If you did not ask for this, ignore this email: your password stays the same.",
  }),
);
