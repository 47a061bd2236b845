import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { confirmEmail } from "../actions";

export const metadata: Metadata = { title: "Verify your email" };

const outcomes: Record<string, { title: string; body: string }> = {
  verified: { title: "Email verified", body: "Thank you. You can now buy credits and create API keys." },
  used: { title: "Link already used", body: "This verification link has already been used. If your email is not verified yet, send a new link from the banner in the portal." },
  expired: { title: "Link expired", body: "Verification links are valid for 24 hours. Send a new one from the banner in the portal." },
  invalid: { title: "Link not valid", body: "This verification link is not valid. Send a new one from the banner in the portal." },
};

// The token is consumed by a button press, not by opening the page, so mail scanners that prefetch links cannot use it up.
async function confirm(formData: FormData) {
  "use server";
  await confirmEmail(formData);
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string; status?: string }> }) {
  const { token, status } = await searchParams;
  const outcome = status ? (outcomes[status] ?? outcomes.invalid!) : undefined;
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl leading-none font-semibold tracking-tight">{outcome?.title ?? "Verify your email"}</h1>
      </CardHeader>
      <CardContent className="space-y-4">
        {outcome ? (
          <p className="text-sm">{outcome.body}</p>
        ) : token ? (
          <form action={confirm} className="space-y-4">
            <p className="text-sm">
              Press the button to confirm that this address is yours. Once it is confirmed you can buy credits and
              create API keys.
            </p>
            <p className="text-xs text-muted-foreground">
              We ask for a press rather than confirming when the page opens, so that a mail scanner opening the
              link cannot use it up before you do.
            </p>
            <input type="hidden" name="token" value={token} />
            <Button type="submit" className="w-full">
              Confirm my email address
            </Button>
          </form>
        ) : (
          <p className="text-sm">{outcomes.invalid!.body}</p>
        )}
        <Button asChild variant="outline" className="w-full">
          <Link href="/dashboard">Go to the portal</Link>
        </Button>
      </CardContent>
    </Card>
  );
}
