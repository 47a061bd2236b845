import type { Page } from "@playwright/test";

// PayPal's JS SDK is a script from www.paypal.com, which this closed network cannot reach. The specs either
// block it (the portal must say so) or answer it with this stand-in, which renders one button and calls the
// portal's createOrder and onApprove as the real SDK does after the buyer approves in PayPal's window. The
// orders and capture then go through the portal's routes to the PayPal fake, as in production.

const sdkPattern = "https://www.paypal.com/sdk/js**";

const standIn = `
window.paypal = {
  version: "5.0.0-e2e",
  Buttons(options) {
    let button;
    return {
      isEligible: () => true,
      close: async () => button && button.remove(),
      render: async (container) => {
        button = document.createElement("button");
        button.type = "button";
        button.textContent = "PayPal (test)";
        button.addEventListener("click", async () => {
          if (options.onClick) options.onClick({}, {});
          let orderID;
          try {
            orderID = await options.createOrder({}, {});
          } catch (error) {
            options.onError(error);
            return;
          }
          await options.onApprove({ orderID, payerID: "PAYER-E2E" }, {});
        });
        (typeof container === "string" ? document.querySelector(container) : container).append(button);
      },
    };
  },
};
`;

export async function blockPayPalSdk(page: Page) {
  await page.unroute(sdkPattern);
  await page.route(sdkPattern, (route) => route.abort("internetdisconnected"));
}

export async function serveStandInPayPalSdk(page: Page) {
  await page.unroute(sdkPattern);
  await page.route(sdkPattern, (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: standIn }));
}
