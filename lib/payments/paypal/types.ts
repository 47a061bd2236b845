/** The parts of PayPal's Orders v2 and Payments v2 objects that the portal reads. */
export type PayPalAmount = { currency_code: string; value: string };
export type PayPalLink = { href: string; rel: string; method?: string };

export type PayPalCapture = {
  id: string;
  status: "COMPLETED" | "DECLINED" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "FAILED";
  amount: PayPalAmount;
  custom_id?: string;
  links?: PayPalLink[];
  supplementary_data?: { related_ids?: { order_id?: string } };
};

export type PayPalOrder = {
  id: string;
  status: string;
  purchase_units?: Array<{ custom_id?: string; payments?: { captures?: PayPalCapture[] } }>;
};

export type PayPalRefund = { id: string; status: string; amount: PayPalAmount; custom_id?: string; links?: PayPalLink[] };

export type PayPalWebhookEvent = { id: string; event_type: string; resource: Record<string, unknown> };
