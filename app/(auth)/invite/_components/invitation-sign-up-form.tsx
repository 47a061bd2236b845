"use client";

import { useActionState, useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { invitationSignUpSchema } from "@/lib/invitations/schemas";
import { FormField, FormMessage } from "../../_components/form-field";
import { acceptInvitationWithSignUp } from "../actions";

/** The invitee's new account: the email is the invitation's and cannot change; it counts as verified. */
export function InvitationSignUpForm({ token, email }: { token: string; email: string }) {
  const [clientErrors, setClientErrors] = useState<FieldErrors | undefined>();
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<never> | null, formData: FormData) => acceptInvitationWithSignUp(formData),
    null,
  );
  const errors = clientErrors ?? (state && !state.success ? state.fieldErrors : undefined);

  function validate(event: React.FormEvent<HTMLFormElement>) {
    const parsed = invitationSignUpSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (parsed.success) return setClientErrors(undefined);
    event.preventDefault();
    setClientErrors(z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }

  return (
    <form action={action} onSubmit={validate} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <div className="space-y-2">
        <Label htmlFor="invite-email">Email</Label>
        <Input id="invite-email" value={email} readOnly aria-readonly="true" className="bg-muted" />
      </div>
      <FormField name="name" label="Name" autoComplete="name" required errors={errors?.name} />
      <FormField name="password" label="Password" type="password" autoComplete="new-password" required errors={errors?.password} />
      <p className="text-xs text-muted-foreground">At least 10 characters, and not a common password.</p>
      <FormMessage>{state && !state.success && !errors ? state.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account and join"}
      </Button>
    </form>
  );
}
