export { PaymentError } from "./errors";
export { listActiveCreditPackages, listPayments, getPaymentDetails, decodePaymentCursor, type PaymentCursor } from "./history";
export { purchaseWithTestPayment } from "./test-provider";
export { pricePerThousandCredits, toDecimalAmount, toMinorUnits } from "./money";
export { creditsToTakeBack } from "./reversals";
