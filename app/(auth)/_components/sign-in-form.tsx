"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { signInWithPassword } from "../actions";
import { FormField, FormMessage } from "./form-field";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult | null, formData: FormData) => signInWithPassword(formData),
    null,
  );
  const errors = state && !state.success ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <FormField name="email" label="Email" type="email" autoComplete="email" required errors={errors?.email} />
      <FormField name="password" label="Password" type="password" autoComplete="current-password" required errors={errors?.password} />
      <FormMessage>{state && !state.success && !errors ? state.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
