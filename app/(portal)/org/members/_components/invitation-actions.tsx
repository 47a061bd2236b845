"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cancelInvitationAction, resendInvitationAction } from "../../actions";
import { ConfirmAction } from "@/components/confirm-action";

export function InvitationActions({ invitation }: { invitation: { id: string; email: string } }) {
  const [pending, startTransition] = useTransition();

  const resend = () =>
    startTransition(async () => {
      const result = await resendInvitationAction({ invitationId: invitation.id });
      if (result.success) toast.success(`Sent a new link to ${invitation.email}; the previous one no longer works.`);
      else toast.error(result.error);
    });

  return (
    <div className="flex justify-end gap-2">
      <Button size="sm" variant="outline" onClick={resend} disabled={pending} aria-label={`Resend the invitation to ${invitation.email}`}>
        {pending ? "Sending…" : "Resend"}
      </Button>
      <ConfirmAction
        trigger="Cancel"
        triggerLabel={`Cancel the invitation to ${invitation.email}`}
        title={`Cancel the invitation to ${invitation.email}?`}
        description="The link in their email stops working. You can invite them again later."
        confirm="Cancel invitation"
        pendingLabel="Cancelling…"
        destructive
        dismiss="Keep it"
        action={cancelInvitationAction}
        input={{ invitationId: invitation.id }}
        successMessage={`Cancelled the invitation to ${invitation.email}.`}
      />
    </div>
  );
}
