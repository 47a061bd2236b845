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

type ForecastProps = { organizationName: string; balance: number; creditsPerDay: number; daysLeft: number; runsOutOn: string };

export const forecastTemplate = defineEmailTemplate("credits-forecast", (props: ForecastProps) => {
  const days = props.daysLeft < 1 ? "less than a day" : `about ${Math.floor(props.daysLeft)} day${Math.floor(props.daysLeft) === 1 ? "" : "s"}`;
  return emailLayout({
    subject: `${props.organizationName} runs out of credits in ${days}`,
    paragraphs: [
      `${props.organizationName} has ${props.balance.toLocaleString("en-US")} credits left and has used about ${Math.round(props.creditsPerDay).toLocaleString("en-US")} a day over the last 7 days.`,
      `At this rate the credits run out in ${days}, on ${props.runsOutOn} (UTC). Requests made with your API keys are refused once they do.`,
    ],
    action: { label: "Buy credits", url: appUrl("/billing") },
    footer: "You receive this because you are an admin of the organization and forecast alerts are on in your notification settings. We send it at most once every 3 days.",
  });
});
