import Link from "next/link";
import { ArrowRightIcon, ChartColumnIcon, CreditCardIcon, KeyRoundIcon } from "lucide-react";
import type { LucideIcon } from "lucide-react";

import { Logo } from "@/components/shell/logo";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

const features: { icon: LucideIcon; title: string; description: string }[] = [
  {
    icon: CreditCardIcon,
    title: "Buy credits",
    description:
      "Top up with a card through Stripe or with PayPal. Credits land in your balance as soon as the payment clears.",
  },
  {
    icon: KeyRoundIcon,
    title: "Create API keys",
    description:
      "Issue a key per app or environment, see when each was last used, and revoke one instantly if it leaks.",
  },
  {
    icon: ChartColumnIcon,
    title: "Track usage",
    description:
      "Every call to the analytics API spends credits. See where they go by day, key and endpoint, when they will run out at your current rate, and export the history as CSV.",
  },
];

export default function LandingPage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b">
        <div className="mx-auto flex h-16 w-full max-w-6xl items-center gap-2 px-4 sm:px-6">
          <Logo />
          <nav aria-label="Account" className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <Button asChild variant="ghost" size="sm">
              <Link href="/sign-in">Sign in</Link>
            </Button>
            {/* On phones the hero's own button is enough and the header has no room for both. */}
            <Button asChild size="sm" className="hidden sm:inline-flex">
              <Link href="/sign-up">Create account</Link>
            </Button>
          </nav>
        </div>
      </header>

      <main className="flex-1">
        <section className="mx-auto w-full max-w-6xl px-4 py-20 text-center sm:px-6 sm:py-28">
          <h1 className="mx-auto max-w-3xl text-4xl font-bold tracking-tight text-balance sm:text-5xl">
            Pay-as-you-go access to the analytics data API
          </h1>
          <p className="mx-auto mt-6 max-w-2xl text-lg text-pretty text-muted-foreground">
            Credit Portal is where you buy credits, create API keys and keep an eye on what every
            request costs. No subscription: you only pay for the calls you make.
          </p>
          <div className="mt-10 flex flex-col items-center justify-center gap-3 sm:flex-row">
            <Button asChild size="lg">
              <Link href="/sign-up">
                Create account
                <ArrowRightIcon aria-hidden="true" />
              </Link>
            </Button>
            <Button asChild size="lg" variant="outline">
              <Link href="/sign-in">Sign in</Link>
            </Button>
          </div>
        </section>

        <section aria-labelledby="features-heading" className="border-t bg-muted/40">
          <div className="mx-auto w-full max-w-6xl px-4 py-16 sm:px-6">
            <h2 id="features-heading" className="sr-only">
              Features
            </h2>
            <ul className="grid gap-6 md:grid-cols-3">
              {features.map(({ icon: Icon, title, description }) => (
                <li key={title}>
                  <Card className="h-full">
                    <CardHeader>
                      <span className="mb-2 flex size-10 items-center justify-center rounded-md bg-primary/10 text-primary">
                        <Icon className="size-5" aria-hidden="true" />
                      </span>
                      <CardTitle>{title}</CardTitle>
                      <CardDescription className="leading-relaxed">{description}</CardDescription>
                    </CardHeader>
                  </Card>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </main>

      <footer className="border-t">
        <div className="mx-auto flex w-full max-w-6xl flex-col items-center justify-between gap-2 px-4 py-6 text-sm text-muted-foreground sm:flex-row sm:px-6">
          <p>© {new Date().getFullYear()} Credit Portal</p>
          <p>Payments are processed by Stripe and PayPal.</p>
        </div>
      </footer>
    </div>
  );
}
