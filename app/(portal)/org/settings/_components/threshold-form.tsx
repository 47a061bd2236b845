"use client";

import { useActionState, useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions";
import { updateLowCreditThresholdAction } from "../../actions";

export function ThresholdForm({ threshold }: { threshold: number }) {
  const [state, action, pending] = useActionState((_previous: ActionResult | null, formData: FormData) => updateLowCreditThresholdAction(formData), null);
  const errors = state && !state.success ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.success) toast.success("Saved the low-credit threshold.");
    else if (state && !state.fieldErrors) toast.error(state.error);
  }, [state]);

  return (
    <form action={action} className="flex max-w-md flex-col gap-4 sm:flex-row sm:items-start" noValidate>
      <div className="flex-1 space-y-2">
        <Label htmlFor="threshold">Threshold in credits</Label>
        <Input
          id="threshold"
          name="lowCreditThreshold"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          defaultValue={threshold}
          aria-invalid={errors?.lowCreditThreshold ? true : undefined}
          aria-describedby="threshold-error"
        />
        <FieldError id="threshold-error">{errors?.lowCreditThreshold?.[0]}</FieldError>
      </div>
      <Button type="submit" disabled={pending} className="sm:mt-[1.375rem]">
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
