"use client";

import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { FieldErrors } from "@/lib/actions";
import { adjustCreditsAction } from "../../../actions";

/** A signed amount and a required reason; the result is toasted and the page's balance and ledger refresh. */
export function AdjustCreditsForm({ organizationId }: { organizationId: string }) {
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const submit = (formData: FormData) =>
    startTransition(async () => {
      const result = await adjustCreditsAction(formData);
      setErrors(result.success ? undefined : result.fieldErrors);
      if (!result.success) return void toast.error(result.error);
      toast.success(`Credits adjusted. The balance is now ${result.data.balance}.`);
      form.current?.reset();
    });
  return (
    <form ref={form} action={submit} className="grid gap-4 sm:grid-cols-[10rem_1fr_auto] sm:items-start">
      <input type="hidden" name="organizationId" value={organizationId} />
      <div className="grid gap-1.5">
        <Label htmlFor="adjust-delta">Credits (+ or −)</Label>
        <Input id="adjust-delta" name="delta" inputMode="numeric" required placeholder="-500" aria-invalid={Boolean(errors?.delta)} aria-describedby="adjust-delta-error" />
        <FieldError id="adjust-delta-error">{errors?.delta?.[0]}</FieldError>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="adjust-reason">Reason</Label>
        <Input id="adjust-reason" name="reason" required maxLength={500} placeholder="Refund for the outage on 3 May" aria-invalid={Boolean(errors?.reason)} aria-describedby="adjust-reason-error" />
        <FieldError id="adjust-reason-error">{errors?.reason?.[0]}</FieldError>
      </div>
      <Button type="submit" disabled={pending} className="sm:mt-6">
        {pending ? "Adjusting…" : "Adjust credits"}
      </Button>
    </form>
  );
}
