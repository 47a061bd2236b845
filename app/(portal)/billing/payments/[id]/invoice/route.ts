import { getViewer } from "@/lib/auth/viewer";
import { getPaymentDetails, PaymentError } from "@/lib/payments";
import { getStripe } from "@/lib/payments/stripe/client";

const notFound = () => new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });

/**
 * Sends the buyer to Stripe's hosted invoice of a card payment. Stripe's hosted URL is not stored: it is
 * fetched on each click, since Stripe owns it. Another organization's payment is a 404, like a missing one.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await getViewer();
  if (!viewer) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `/billing/payments/${id}`);
    return Response.redirect(signIn, 303);
  }
  const details = await getPaymentDetails(id, viewer.role === "business_admin" ? null : viewer.organizationId);
  const invoiceId = details?.payment.stripeInvoiceId;
  if (!invoiceId) return notFound();
  let hostedUrl: string | null | undefined;
  try {
    ({ hosted_invoice_url: hostedUrl } = await getStripe().invoices.retrieve(invoiceId));
  } catch (error) {
    if (error instanceof PaymentError || (error as { statusCode?: number }).statusCode === 404) return notFound();
    console.error("[billing] retrieving the Stripe invoice failed:", (error as Error).message);
    return new Response("Stripe could not be reached. Try again in a moment.", { status: 502, headers: { "Cache-Control": "no-store" } });
  }
  if (!hostedUrl) return notFound();
  return new Response(null, { status: 303, headers: { Location: hostedUrl, "Cache-Control": "no-store" } });
}
