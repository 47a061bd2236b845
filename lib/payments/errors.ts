/** Expected failures of a purchase; the action or route turns each into its message or error code. */
export class PaymentError extends Error {
  constructor(
    readonly code: "package_unavailable" | "provider_not_configured" | "provider_error" | "not_found" | "test_payments_disabled",
    message: string,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

export const packageUnavailable = () => new PaymentError("package_unavailable", "That credit package is not available.");
export const paymentNotFound = () => new PaymentError("not_found", "That payment does not exist.");
