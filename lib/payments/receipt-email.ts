import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { users, type Payment } from "@/db/schema";
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

/**
 * Who gets the receipt: the buyer, or when the buyer is gone (disabled, deleted, or a payment without one),
 * the organization's client admins. Each recipient's `notify_receipts` is respected; a buyer who turned
 * receipts off gets none, and the admins are not mailed in their place.
 */
export async function receiptRecipients(tx: Transaction, payment: Payment) {
  const buyer = payment.userId
    ? await tx
        .select({ email: users.email, name: users.name, wantsReceipts: users.notifyReceipts })
        .from(users)
        .where(and(eq(users.id, payment.userId), isNull(users.disabledAt)))
    : [];
  if (buyer.length > 0) return buyer.filter((person) => person.wantsReceipts);
  return tx
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(
      and(
        eq(users.organizationId, payment.organizationId),
        eq(users.role, "client_admin"),
        isNull(users.disabledAt),
        eq(users.notifyReceipts, true),
      ),
    );
}
