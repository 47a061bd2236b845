"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { completeReset, requestReset } from "../actions";
import { FormField, FormMessage } from "./form-field";
import { useKeptActionState } from "./use-kept-action-state";

export function ResetRequestForm() {
  const { result, action, pending, failed, kept } = useKeptActionState(requestReset, ["email"]);
  if (result?.success) {
    return (
      <FormMessage tone="info">
        If an account exists for {result.data.email}, we have sent it a link to reset the password. It is valid for one hour.
      </FormMessage>
    );
  }
  const errors = failed?.fieldErrors;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormField name="email" label="Email" type="email" autoComplete="email" required defaultValue={kept("email")} errors={errors?.email} />
      <FormMessage>{failed && !errors ? failed.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        Send reset link
      </Button>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult | null, formData: FormData) => completeReset(formData),
    null,
  );
  const errors = state && !state.success ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <FormField name="password" label="New password" type="password" autoComplete="new-password" required errors={errors?.password} />
      <FormMessage>{state && !state.success && !errors?.password ? state.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        Set new password
      </Button>
    </form>
  );
}
