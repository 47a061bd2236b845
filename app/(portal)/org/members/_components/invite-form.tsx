"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions";
import { inviteMemberAction } from "../../actions";

const selectClass =
  "h-9 w-full rounded-md border border-input bg-background px-3 text-sm shadow-xs outline-none focus-visible:ring-2 focus-visible:ring-ring sm:w-40";

export function InviteForm() {
  const form = useRef<HTMLFormElement>(null);
  const [state, action, pending] = useActionState(
    (_previous: ActionResult<{ email: string; resent: boolean }> | null, formData: FormData) => inviteMemberAction(formData),
    null,
  );
  const errors = state && !state.success ? state.fieldErrors : undefined;

  useEffect(() => {
    if (!state) return;
    if (state.success) {
      toast.success(state.data.resent ? `Sent a new invitation link to ${state.data.email}.` : `Invited ${state.data.email}.`);
      form.current?.reset();
    } else if (!state.fieldErrors) {
      toast.error(state.error);
    }
  }, [state]);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite a colleague</CardTitle>
        <CardDescription>They get an email with a link valid for 7 days, and join this organization when they accept.</CardDescription>
      </CardHeader>
      <CardContent>
        <form ref={form} action={action} className="flex flex-col gap-4 sm:flex-row sm:items-start" noValidate>
          <div className="flex-1 space-y-2">
            <Label htmlFor="invite-email">Email</Label>
            <Input id="invite-email" name="email" type="email" autoComplete="off" required aria-invalid={errors?.email ? true : undefined} aria-describedby="invite-email-error" />
            <FieldError id="invite-email-error">{errors?.email?.[0]}</FieldError>
          </div>
          <div className="space-y-2">
            <Label htmlFor="invite-role">Role</Label>
            <select id="invite-role" name="role" defaultValue="user" className={selectClass}>
              <option value="user">Member</option>
              <option value="client_admin">Admin</option>
            </select>
          </div>
          <Button type="submit" disabled={pending} className="sm:mt-[1.375rem]">
            {pending ? "Sending…" : "Send invitation"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
