"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { CreditPackage } from "@/db/schema";
import type { FieldErrors } from "@/lib/actions";
import { createPackageAction, updatePackageAction } from "../../actions";

const fields = [
  { name: "name", label: "Name", inputMode: undefined },
  { name: "credits", label: "Credits", inputMode: "numeric" },
  { name: "priceCents", label: "Price in cents", inputMode: "numeric" },
  { name: "currency", label: "Currency (3 letters)", inputMode: undefined },
  { name: "sortOrder", label: "Sort order", inputMode: "numeric" },
] as const;

/** Creates a package, or edits one (`pack`). Past payments copied their package's values, so an edit never reaches them. */
export function PackageDialog({ pack }: { pack?: CreditPackage }) {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const [pending, startTransition] = useTransition();
  const submit = (formData: FormData) =>
    startTransition(async () => {
      const result = await (pack ? updatePackageAction : createPackageAction)(formData);
      setErrors(result.success ? undefined : result.fieldErrors);
      if (!result.success) return void toast.error(result.error);
      toast.success(pack ? `Saved “${result.data.name}”.` : `Created “${result.data.name}”.`);
      setOpen(false);
    });
  const idOf = (name: string) => `package-${pack?.id ?? "new"}-${name}`;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant={pack ? "outline" : "default"} aria-label={pack ? `Edit ${pack.name}` : undefined}>
          {pack ? "Edit" : "New package"}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{pack ? `Edit ${pack.name}` : "New credit package"}</DialogTitle>
          <DialogDescription>Payments already made keep the name, credits and price they were bought with.</DialogDescription>
        </DialogHeader>
        <form action={submit} className="grid gap-4">
          {pack && <input type="hidden" name="packageId" value={pack.id} />}
          {fields.map((field) => (
            <div key={field.name} className="grid gap-1.5">
              <Label htmlFor={idOf(field.name)}>{field.label}</Label>
              <Input
                id={idOf(field.name)}
                name={field.name}
                inputMode={field.inputMode}
                required={field.name !== "sortOrder"}
                defaultValue={pack ? String(pack[field.name]) : field.name === "currency" ? "usd" : field.name === "sortOrder" ? "0" : ""}
                aria-invalid={Boolean(errors?.[field.name])}
                aria-describedby={`${idOf(field.name)}-error`}
              />
              <FieldError id={`${idOf(field.name)}-error`}>{errors?.[field.name]?.[0]}</FieldError>
            </div>
          ))}
          <div className="flex items-center gap-2">
            <input id={idOf("active")} name="active" type="checkbox" defaultChecked={pack?.active ?? true} className="size-4 accent-primary" />
            <Label htmlFor={idOf("active")}>Active (offered on the billing page)</Label>
          </div>
          <DialogFooter>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : pack ? "Save package" : "Create package"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
