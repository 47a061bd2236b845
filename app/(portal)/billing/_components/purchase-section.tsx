import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import type { CreditPackage } from "@/db/schema";
import { formatCredits, formatMoney } from "@/lib/format";
import { pricePerThousandCredits } from "@/lib/payments";
import { BuyPackageButton } from "./buy-package-button";
import { PayPalCheckoutDialog } from "./paypal-checkout-dialog";
import { StripeCheckoutButton } from "./stripe-checkout-button";

/** The providers this deployment has set up; PayPal's browser client id comes from the server's environment. */
export type PurchaseProviders = { stripe: boolean; paypalClientId?: string; test: boolean };

function PackageCard({ pack, providers }: { pack: CreditPackage; providers: PurchaseProviders }) {
  const credits = formatCredits(pack.credits);
  const price = formatMoney(pack.priceCents, pack.currency);
  const titleId = `package-${pack.id}`;
  return (
    <Card role="group" aria-labelledby={titleId} className="flex flex-col">
      <CardHeader>
        <CardTitle id={titleId}>{pack.name}</CardTitle>
        <CardDescription>{credits} credits</CardDescription>
      </CardHeader>
      <CardContent className="flex-1 space-y-1">
        <p className="text-2xl font-semibold">{price}</p>
        <p className="text-sm text-muted-foreground">{formatMoney(pricePerThousandCredits(pack), pack.currency)} per 1,000 credits</p>
      </CardContent>
      {/* Shown to unverified admins too: the server refuses them with the reason, next to the button. */}
      <CardFooter className="flex flex-col items-stretch gap-2 empty:hidden">
        {providers.stripe && <StripeCheckoutButton packageId={pack.id} packageName={pack.name} />}
        {providers.paypalClientId && (
          <PayPalCheckoutDialog
            clientId={providers.paypalClientId}
            currency={pack.currency}
            packageId={pack.id}
            packageName={pack.name}
            summary={`${credits} credits for ${price}`}
          />
        )}
        {providers.test && <BuyPackageButton packageId={pack.id} packageName={pack.name} />}
      </CardFooter>
    </Card>
  );
}

export function PurchaseSection({ packages, providers }: { packages: CreditPackage[]; providers: PurchaseProviders }) {
  const anyProvider = providers.stripe || Boolean(providers.paypalClientId) || providers.test;
  return (
    <section aria-labelledby="buy-credits" className="space-y-4">
      <h2 id="buy-credits" className="text-lg font-semibold">
        Buy credits
      </h2>
      {!anyProvider && <p className="text-sm text-muted-foreground">Payments are not set up on this deployment yet.</p>}
      {packages.length === 0 ? (
        <p className="text-sm text-muted-foreground">No credit packages are on sale right now.</p>
      ) : (
        <div className="grid gap-4 md:grid-cols-3">
          {packages.map((pack) => (
            <PackageCard key={pack.id} pack={pack} providers={providers} />
          ))}
        </div>
      )}
      {providers.test && (
        <p className="text-xs text-muted-foreground">
          Test payments complete immediately and charge nothing. They are available only on development deployments.
        </p>
      )}
    </section>
  );
}
