"use client";

import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { maxGraceHours, rollKeySchema } from "@/lib/keys/schemas";
import { rollKeyAction } from "../actions";
import { resultErrors } from "./key-form";
import { NewKeyReveal } from "./new-key-reveal";
import { useNewKeyDialog } from "./use-new-key-dialog";

const defaultGraceHours = 1;

type RollKeyDialogProps = {
  keyId: string;
  name: string;
  /** Only an active key that has not been rolled yet can be rolled; otherwise the row shows no Roll button. */
  available: boolean;
};

/**
 * Stays mounted, without its button, once its key is rolled: the refreshed list marks the key as rolled in
 * the same response that carries the new key, and unmounting here would lose the key before it is shown.
 */
export function RollKeyDialog({ keyId, name, available }: RollKeyDialogProps) {
  const { open, onOpenChange, errors, setErrors, newKey, setNewKey, pending, startTransition } = useNewKeyDialog();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const raw = String(new FormData(event.currentTarget).get("graceHours") ?? "").trim();
    const input = { keyId, graceHours: raw === "" ? Number.NaN : Number(raw) };
    const parsed = rollKeySchema.safeParse(input);
    if (!parsed.success) {
      setErrors({ fields: { graceHours: parsed.error.issues.map((issue) => issue.message) } });
      return;
    }
    setErrors({});
    startTransition(async () => {
      const result = await rollKeyAction(parsed.data);
      if (result.success) {
        setNewKey(result.data);
        toast.success(`Rolled the key “${name}”.`);
      } else {
        setErrors(resultErrors(result));
        toast.error(result.error);
      }
    });
  };

  const graceError = errors.fields?.graceHours?.[0];

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {available && (
        <DialogTrigger asChild>
          <Button size="sm" variant="outline" className="w-full" aria-label={`Roll ${name}`}>
            Roll
          </Button>
        </DialogTrigger>
      )}
      <DialogContent className={newKey ? "sm:max-w-xl" : undefined} onInteractOutside={(event) => newKey && event.preventDefault()}>
        {newKey ? (
          <NewKeyReveal newKey={newKey} title="Your rolled API key" />
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Roll “{name}”</DialogTitle>
              <DialogDescription>
                You get a new secret with the same name, scopes and limits. The current key keeps working for the grace
                period, so you can deploy the new one first; then it expires.
              </DialogDescription>
            </DialogHeader>
            <div className="space-y-2">
              <Label htmlFor={`grace-${keyId}`}>Grace period (hours, 0 to {maxGraceHours})</Label>
              <Input
                id={`grace-${keyId}`}
                name="graceHours"
                type="number"
                min={0}
                max={maxGraceHours}
                step={1}
                inputMode="numeric"
                defaultValue={defaultGraceHours}
                aria-invalid={Boolean(graceError)}
                aria-describedby={graceError ? `grace-${keyId}-error` : undefined}
              />
              <FieldError id={`grace-${keyId}-error`}>{graceError}</FieldError>
              <p className="text-xs text-muted-foreground">0 stops the current key at once.</p>
            </div>
            {errors.message && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errors.message}
              </p>
            )}
            <DialogFooter>
              <Button type="submit" disabled={pending}>
                {pending ? "Rolling…" : "Roll key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
