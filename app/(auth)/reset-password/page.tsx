import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { ResetPasswordForm } from "../_components/reset-forms";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl leading-none font-semibold tracking-tight">Choose a new password</h1>
        <CardDescription>Setting it signs you out on every device.</CardDescription>
      </CardHeader>
      <CardContent>
        {token ? (
          <ResetPasswordForm token={token} />
        ) : (
          <p className="text-sm">
            This link is incomplete. <Link href="/forgot-password" className="underline">Request a new one</Link>.
          </p>
        )}
      </CardContent>
    </Card>
  );
}
