import { defineEmailTemplate, emailLayout } from "./define";

export const verifyEmailTemplate = defineEmailTemplate("verify-email", (props: { name: string | null; url: string }) =>
  emailLayout({
    subject: "Verify your email address",
    greeting: props.name ? `Hi ${props.name},` : "Hi,",
    paragraphs: ["Confirm your email address to buy credits and create API keys. The link is valid for 24 hours."],
    action: { label: "Verify email address", url: props.url },
    footer: "If you did not create an account, you can ignore this email.",
  }),
);
