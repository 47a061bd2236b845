"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { changeMemberRoleAction, removeMemberAction } from "../../actions";
import { ConfirmAction } from "@/components/confirm-action";

type MemberActionsProps = {
  member: { id: string; label: string; role: "user" | "client_admin" };
  isSelf: boolean;
  mayChangeRole: boolean;
  mayRemove: boolean;
};

export function MemberActions({ member, isSelf, mayChangeRole, mayRemove }: MemberActionsProps) {
  const [pending, startTransition] = useTransition();

  const promote = () =>
    startTransition(async () => {
      const result = await changeMemberRoleAction({ memberId: member.id, role: "client_admin" });
      if (result.success) toast.success(`${member.label} is now an admin.`);
      else toast.error(result.error);
    });

  return (
    <div className="flex justify-end gap-2">
      {mayChangeRole && member.role === "user" && (
        <Button size="sm" variant="outline" onClick={promote} disabled={pending} aria-label={`Make admin: ${member.label}`}>
          {pending ? "Saving…" : "Make admin"}
        </Button>
      )}
      {mayChangeRole && member.role === "client_admin" && (
        <ConfirmAction
          trigger="Make member"
          triggerLabel={`Make member: ${member.label}`}
          title={isSelf ? "Give up your admin role?" : `Make ${member.label} a member?`}
          description={
            isSelf
              ? "You will no longer be able to invite people, manage members, buy credits or change the organization's settings."
              : `${member.label} will no longer be able to invite people, manage members, buy credits or change the organization's settings.`
          }
          confirm="Make member"
          pendingLabel="Saving…"
          action={changeMemberRoleAction}
          input={{ memberId: member.id, role: "user" as const }}
          successMessage={`${isSelf ? "You are" : `${member.label} is`} now a member.`}
        />
      )}
      {mayRemove && !isSelf && (
        <ConfirmAction
          trigger="Remove"
          triggerLabel={`Remove ${member.label}`}
          title={`Remove ${member.label}?`}
          description="They are signed out everywhere and lose access to this organization. The API keys they created keep working for the organization; revoke them on the API keys page if needed."
          confirm="Remove member"
          pendingLabel="Removing…"
          destructive
          action={removeMemberAction}
          input={{ memberId: member.id }}
          successMessage={`Removed ${member.label}.`}
        />
      )}
    </div>
  );
}
