"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";
import { FormMessage } from "../../_components/form-field";
import { acceptInvitationAction } from "../actions";

export function AcceptInvitationButton({ token, organizationName }: { token: string; organizationName: string }) {
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<never> | null, formData: FormData) => acceptInvitationAction(formData),
    null,
  );
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormMessage>{state && !state.success ? state.error : undefined}</FormMessage>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${organizationName}`}
      </Button>
    </form>
  );
}
