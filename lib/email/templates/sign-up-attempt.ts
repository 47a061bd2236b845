import { defineEmailTemplate, emailLayout } from "./define";

/**
 * Sent instead of an answer when someone signs up with an address that already has an account: the form
 * answers as for a new address, so it cannot be used to find out who has an account.
 */
export const signUpAttemptTemplate = defineEmailTemplate(
  "sign-up-attempt",
  (props: { name: string | null; signInUrl: string; resetUrl: string; verified: boolean }) =>
    emailLayout({
      subject: "Someone tried to sign up with your email address",
      greeting: props.name ? `Hi ${props.name},` : "Hi,",
      paragraphs: [
        "Someone tried to create a Credit Portal account with this email address. You already have one, so nothing was created and nothing changed.",
        `If it was you, sign in instead. Forgot your password? Choose a new one at ${props.resetUrl}`,
        ...(props.verified
          ? []
          : ["This address was never verified. If you did not create the account, someone else may have: resetting its password makes it yours and signs everyone else out."]),
      ],
      action: { label: "Sign in", url: props.signInUrl },
      footer: "If this was not you and you have an account, you can ignore this email.",
    }),
);
