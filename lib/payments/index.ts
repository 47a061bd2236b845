export { PaymentError } from "./errors";
export { listActiveCreditPackages, listPayments, getPaymentDetails, decodePaymentCursor } from "./history";
export { purchaseWithTestPayment } from "./test-provider";
export { pricePerThousandCredits } from "./money";
