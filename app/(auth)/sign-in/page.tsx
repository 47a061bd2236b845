import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { configuredOAuthProviders } from "@/lib/auth/providers";
import { FormMessage } from "../_components/form-field";
import { OAuthButtons } from "../_components/oauth-buttons";
import { SignInForm } from "../_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Auth.js error codes that reach this page (it is also Auth.js's error page).
const errorMessages: Record<string, string> = {
  "link-required":
    "An account with this email already exists. Sign in with its password, then link this provider from Settings → Security. Did you not create it, or forget its password? Use “Forgot password?”: the link goes to your inbox and makes the account yours.",
  AccessDenied: "That sign-in was refused. If your account was disabled, contact support.",
  OAuthAccountNotLinked: "This provider account is already linked to another user.",
  Configuration: "Sign-in is not available right now. Try again later.",
};

type SearchParams = Promise<{ callbackUrl?: string; error?: string; reset?: string }>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, error, reset } = await searchParams;
  const providers = configuredOAuthProviders();
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl leading-none font-semibold tracking-tight">Sign in</h1>
        <CardDescription>Welcome back to the Credit Portal.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        <FormMessage>{error ? (errorMessages[error] ?? "Sign-in failed. Try again.") : undefined}</FormMessage>
        <FormMessage tone="info">{reset ? "Your password has been changed. Sign in with the new one." : undefined}</FormMessage>
        <OAuthButtons providers={providers} callbackUrl={callbackUrl} />
        <SignInForm callbackUrl={callbackUrl} />
        <div className="flex justify-between text-sm">
          <Link href="/forgot-password" className="underline underline-offset-4">
            Forgot password?
          </Link>
          <Link href="/sign-up" className="underline underline-offset-4">
            Create an account
          </Link>
        </div>
      </CardContent>
    </Card>
  );
}
