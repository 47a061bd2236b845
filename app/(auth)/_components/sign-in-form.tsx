"use client";

import { Button } from "@/components/ui/button";
import { signInWithPassword } from "../actions";
import { FormField, FormMessage } from "./form-field";
import { useKeptActionState } from "./use-kept-action-state";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const { action, pending, failed, kept } = useKeptActionState(signInWithPassword, ["email"]);
  const errors = failed?.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <FormField name="email" label="Email" type="email" autoComplete="email" required defaultValue={kept("email")} errors={errors?.email} />
      <FormField name="password" label="Password" type="password" autoComplete="current-password" required errors={errors?.password} />
      <FormMessage>{failed && !errors ? failed.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
