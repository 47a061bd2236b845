"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "../actions";
import { FormField, FormMessage } from "./form-field";

export function SignUpForm() {
  // The same schema runs here first for instant feedback; the server runs it again.
  const [clientErrors, setClientErrors] = useState<FieldErrors | undefined>();
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<{ email: string }> | null, formData: FormData) => signUp(formData),
    null,
  );
  const errors = clientErrors ?? (state && !state.success ? state.fieldErrors : undefined);

  function validate(event: React.FormEvent<HTMLFormElement>) {
    const parsed = signUpSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (parsed.success) {
      setClientErrors(undefined);
      return;
    }
    event.preventDefault();
    setClientErrors(z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }

  if (state?.success) {
    // The same whether the address was new or already had an account (its owner was emailed instead).
    return (
      <div className="space-y-4">
        <FormMessage tone="info">
          Check your inbox: we sent a message to {state.data.email}. Open the link in it to verify your address, then sign in.
        </FormMessage>
        <Button asChild className="w-full">
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </div>
    );
  }

  return (
    <form action={action} onSubmit={validate} className="space-y-4" noValidate>
      <FormField name="name" label="Name" autoComplete="name" required errors={errors?.name} />
      <FormField name="email" label="Email" type="email" autoComplete="email" required errors={errors?.email} />
      <FormField name="password" label="Password" type="password" autoComplete="new-password" required errors={errors?.password} />
      <p className="text-xs text-muted-foreground">At least 10 characters, and not a common password.</p>
      <FormMessage>{state && !state.success && !errors ? state.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
