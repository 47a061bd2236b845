"use client";

import Link from "next/link";
import { useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import type { FieldErrors } from "@/lib/actions";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "../actions";
import { FormField, FormMessage } from "./form-field";
import { useKeptActionState } from "./use-kept-action-state";

export function SignUpForm() {
  // The same schema runs here first for instant feedback; the server runs it again.
  const [clientErrors, setClientErrors] = useState<FieldErrors | undefined>();
  const { result, action, pending, failed, kept } = useKeptActionState(signUp, ["name", "email"]);
  const errors = clientErrors ?? failed?.fieldErrors;

  function validate(event: React.FormEvent<HTMLFormElement>) {
    const parsed = signUpSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (parsed.success) {
      setClientErrors(undefined);
      return;
    }
    event.preventDefault();
    setClientErrors(z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }

  if (result?.success) {
    // The same whether the address was new or already had an account (its owner was emailed instead).
    return (
      <div className="space-y-4">
        <FormMessage tone="info">
          Check your inbox: we sent a message to {result.data.email}. Open the link in it to verify your address, then sign in.
        </FormMessage>
        <Button asChild className="w-full">
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </div>
    );
  }

  return (
    <form action={action} onSubmit={validate} className="space-y-4" noValidate>
      <FormField name="name" label="Name" autoComplete="name" required defaultValue={kept("name")} errors={errors?.name} />
      <FormField name="email" label="Email" type="email" autoComplete="email" required defaultValue={kept("email")} errors={errors?.email} />
      <FormField name="password" label="Password" type="password" autoComplete="new-password" required errors={errors?.password} />
      <p className="text-xs text-muted-foreground">At least 10 characters, and not a common password.</p>
      <FormMessage>{failed && !errors ? failed.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
