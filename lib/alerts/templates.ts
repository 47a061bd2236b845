import { appUrl } from "@/lib/app-url";
import { defineEmailTemplate, emailLayout } from "@/lib/email";

type AlertProps = { organizationName: string; balance: number; threshold: number };

export const lowCreditTemplate = defineEmailTemplate("low-credits", (props: AlertProps) =>
  emailLayout({
    subject: `${props.organizationName} is running low on credits`,
    paragraphs: [
      `The credit balance of ${props.organizationName} is ${props.balance.toLocaleString("en-US")}, below your alert threshold of ${props.threshold.toLocaleString("en-US")}.`,
      "When it reaches zero, usage of your API keys can no longer be charged. Buy credits to keep them working.",
    ],
    action: { label: "Buy credits", url: appUrl("/billing") },
    footer: "You receive this because you are an admin of the organization. We send it once each time the balance drops below the threshold.",
  }),
);

export const zeroCreditTemplate = defineEmailTemplate("zero-credits", (props: AlertProps) =>
  emailLayout({
    subject: `${props.organizationName} has no credits left`,
    paragraphs: [
      `The credit balance of ${props.organizationName} has reached zero.`,
      "Requests made with your API keys are refused until you buy more credits.",
    ],
    action: { label: "Buy credits", url: appUrl("/billing") },
    footer: "You receive this because you are an admin of the organization.",
  }),
);
