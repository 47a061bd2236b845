import { defineEmailTemplate, emailLayout } from "./define";

export type InvitationEmailProps = { organizationName: string; inviterName: string | null; role: "user" | "client_admin"; url: string };

export const invitationTemplate = defineEmailTemplate("invitation", (props: InvitationEmailProps) =>
  emailLayout({
    subject: `Join ${props.organizationName} on the credit portal`,
    greeting: "Hi,",
    paragraphs: [
      `${props.inviterName ?? "An administrator"} invited you to join ${props.organizationName}${props.role === "client_admin" ? " as an administrator" : ""}.`,
      "Accept to create your account (or sign in) and use the organization's API keys and credits. The link is valid for 7 days.",
    ],
    action: { label: "Accept the invitation", url: props.url },
    footer: "If you did not expect this invitation, you can ignore this email.",
  }),
);
