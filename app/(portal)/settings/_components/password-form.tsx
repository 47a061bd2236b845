"use client";

import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions";
import { changePasswordAction } from "../actions";

type PasswordState = ActionResult<{ sessionsEnded: number }> | null;

const fields = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password", hint: "At least 10 characters; not a common password." },
  { name: "confirmPassword", label: "Repeat the new password", autoComplete: "new-password" },
] as const;

function sessionsEndedText(count: number) {
  if (count === 0) return "No other session was open.";
  return count === 1 ? "1 other session was signed out." : `${count} other sessions were signed out.`;
}

export function PasswordForm() {
  const [state, action, pending] = useActionState((_previous: PasswordState, formData: FormData) => changePasswordAction(formData), null);
  const errors = state && !state.success ? state.fieldErrors : undefined;
  useEffect(() => {
    if (state?.success) {
      toast.success("Your password was changed.", { description: sessionsEndedText(state.data.sessionsEnded) });
    } else if (state && !state.fieldErrors) {
      toast.error(state.error);
    }
  }, [state]);
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate>
      {fields.map((field) => {
        const error = errors?.[field.name]?.[0];
        const hintId = "hint" in field ? `${field.name}-hint` : undefined;
        return (
          <div key={field.name} className="space-y-2">
            <Label htmlFor={field.name}>{field.label}</Label>
            <Input
              id={field.name}
              name={field.name}
              type="password"
              autoComplete={field.autoComplete}
              maxLength={128}
              aria-invalid={error ? true : undefined}
              aria-describedby={[hintId, `${field.name}-error`].filter(Boolean).join(" ")}
            />
            {"hint" in field && (
              <p id={hintId} className="text-xs text-muted-foreground">
                {field.hint}
              </p>
            )}
            <FieldError id={`${field.name}-error`}>{error}</FieldError>
          </div>
        );
      })}
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
