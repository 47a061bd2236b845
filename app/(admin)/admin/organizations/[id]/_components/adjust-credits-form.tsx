"use client";

import { useActionState, useEffect, useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { formAction } from "@/lib/actions";
import { adjustCreditsAction } from "../../../actions";

/** A signed amount and a required reason; the result is toasted and the page's balance and ledger refresh. */
export function AdjustCreditsForm({ organizationId }: { organizationId: string }) {
  const [state, submit, pending] = useActionState(formAction(adjustCreditsAction), null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!state) return;
    if (state.success) {
      toast.success(`Credits adjusted. The balance is now ${state.data.balance}.`);
      form.current?.reset();
    } else toast.error(state.error);
  }, [state]);
  const errors = state && !state.success ? state.fieldErrors : undefined;
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
