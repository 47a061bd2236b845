import { appUrl } from "@/lib/app-url";
import { defineEmailTemplate, emailLayout } from "@/lib/email";
import { formatCredits, formatMoney } from "@/lib/format";

type ReceiptProps = {
  name: string | null;
  organizationName: string;
  packageName: string;
  credits: number;
  amountCents: number;
  currency: string;
  provider: string;
  paymentId: string;
  balance: number;
};

const providerNames: Record<string, string> = { stripe: "card (Stripe)", paypal: "PayPal", test: "test payment" };

export const receiptTemplate = defineEmailTemplate("payment-receipt", (props: ReceiptProps) =>
  emailLayout({
    subject: `Receipt: ${formatCredits(props.credits)} credits for ${props.organizationName}`,
    greeting: props.name ? `Hi ${props.name},` : "Hi,",
    paragraphs: [
      `Thank you for your purchase. ${formatCredits(props.credits)} credits have been added to ${props.organizationName}.`,
      `Package: ${props.packageName}`,
      `Amount: ${formatMoney(props.amountCents, props.currency)}, paid by ${providerNames[props.provider] ?? props.provider}`,
      `Payment ID: ${props.paymentId}`,
      `New balance: ${formatCredits(props.balance)} credits`,
    ],
    action: { label: "View the receipt", url: appUrl(`/billing/payments/${props.paymentId}`) },
    footer: "Keep this email for your records. Card payments also get an invoice from Stripe.",
  }),
);
