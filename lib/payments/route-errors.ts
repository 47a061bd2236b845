import { routeError } from "@/lib/session-route";
import { PaymentError } from "./errors";

/** A purchase's expected failures as the routes answer them; anything else is rethrown. */
export function paymentErrorResponse(error: unknown) {
  if (!(error instanceof PaymentError)) throw error;
  switch (error.code) {
    case "not_found":
    case "package_unavailable":
      return routeError("not_found", error.message);
    case "provider_not_configured":
    case "test_payments_disabled":
      return routeError("forbidden", error.message);
    case "provider_error":
      return routeError("provider_error", error.message);
  }
}
