import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { configuredOAuthProviders } from "@/lib/auth/providers";
import { OAuthButtons } from "../_components/oauth-buttons";
import { SignUpForm } from "../_components/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
// The provider buttons depend on the runtime environment, not the build's.
export const dynamic = "force-dynamic";

export default function SignUpPage() {
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl leading-none font-semibold tracking-tight">Create an account</h1>
        <CardDescription>You get your own organization to buy credits and create API keys.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-6">
        <OAuthButtons providers={configuredOAuthProviders()} label="Sign up with" />
        <SignUpForm />
        <p className="text-sm">
          Already have an account?{" "}
          <Link href="/sign-in" className="underline underline-offset-4">
            Sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
