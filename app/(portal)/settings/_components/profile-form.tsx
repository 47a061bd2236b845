"use client";

import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions";
import { updateProfile } from "../actions";

// React resets a form after its action runs; the submitted name is kept so an invalid one stays visible to fix.
type ProfileState = { result: ActionResult<{ name: string }>; submitted: string } | null;

async function submitProfile(_previous: ProfileState, formData: FormData): Promise<ProfileState> {
  return { result: await updateProfile(formData), submitted: String(formData.get("name") ?? "") };
}

export function ProfileForm({ name, email }: { name: string; email: string }) {
  const [state, action, pending] = useActionState(submitProfile, null);
  const result = state?.result;
  const errors = result && !result.success ? result.fieldErrors : undefined;
  useEffect(() => {
    if (result?.success) toast.success("Your name was saved.");
    else if (result && !result.fieldErrors) toast.error(result.error);
  }, [result]);
  return (
    <form action={action} className="max-w-sm space-y-4" noValidate>
      <div className="space-y-2">
        <Label htmlFor="name">Name</Label>
        <Input
          id="name"
          name="name"
          autoComplete="name"
          maxLength={100}
          defaultValue={result?.success ? result.data.name : (state?.submitted ?? name)}
          aria-invalid={errors?.name ? true : undefined}
          aria-describedby="name-error"
        />
        <FieldError id="name-error">{errors?.name?.[0]}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" value={email} readOnly aria-describedby="email-hint" className="bg-muted/50" />
        <p id="email-hint" className="text-xs text-muted-foreground">
          Your email is how you sign in, so it cannot be changed here.
        </p>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
