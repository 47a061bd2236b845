"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions";
import { updateProfile } from "../actions";

export function ProfileForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState((_previous: ActionResult | null, formData: FormData) => updateProfile(formData), null);
  const errors = state && !state.success ? state.fieldErrors : undefined;
  return (
    <form action={action} className="max-w-sm space-y-4">
      <div className="space-y-2">
        <Label htmlFor="name">Name</Label>
        <Input id="name" name="name" defaultValue={name} aria-invalid={errors?.name ? true : undefined} aria-describedby="name-error" />
        <FieldError id="name-error">{errors?.name?.[0]}</FieldError>
      </div>
      <Button type="submit" disabled={pending}>Save</Button>
      {state?.success && <p role="status" className="text-sm">Saved.</p>}
    </form>
  );
}
