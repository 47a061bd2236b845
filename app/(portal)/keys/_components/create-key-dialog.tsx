"use client";

import { PlusIcon } from "lucide-react";
import type { FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createKeyAction } from "../actions";
import { checkCreateKeyInput, readCreateKeyForm, resultErrors } from "./key-form";
import { NewKeyReveal } from "./new-key-reveal";
import { useNewKeyDialog } from "./use-new-key-dialog";

type CreateKeyDialogProps = {
  /** The scopes this viewer may grant. */
  scopes: string[];
  emailVerified: boolean;
};

export function CreateKeyDialog({ scopes, emailVerified }: CreateKeyDialogProps) {
  const { open, onOpenChange, errors, setErrors, newKey, setNewKey, pending, startTransition } = useNewKeyDialog();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = readCreateKeyForm(new FormData(event.currentTarget));
    const invalid = checkCreateKeyInput(input);
    setErrors(invalid ?? {});
    if (invalid) return;
    startTransition(async () => {
      const result = await createKeyAction(input);
      if (result.success) {
        setNewKey(result.data);
        toast.success(`Created the key “${result.data.name}”.`);
      } else {
        setErrors(resultErrors(result));
        toast.error(result.error);
      }
    });
  };

  const fieldError = (field: string) => errors.fields?.[field]?.[0];
  const describedBy = (field: string) => (fieldError(field) ? `${field}-error` : undefined);

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          Create key
        </Button>
      </DialogTrigger>
      <DialogContent className={newKey ? "sm:max-w-xl" : undefined} onInteractOutside={(event) => newKey && event.preventDefault()}>
        {newKey ? (
          <NewKeyReveal newKey={newKey} title="Your new API key" />
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Create an API key</DialogTitle>
              <DialogDescription>The data API accepts requests signed with this key, billed to your organization.</DialogDescription>
            </DialogHeader>
            {!emailVerified && (
              <p className="text-sm text-muted-foreground">Verify your email address before you create a key.</p>
            )}
            <div className="space-y-2">
              <Label htmlFor="key-name">Name</Label>
              <Input id="key-name" name="name" autoComplete="off" placeholder="Production server" aria-invalid={Boolean(fieldError("name"))} aria-describedby={describedBy("name")} />
              <FieldError id="name-error">{fieldError("name")}</FieldError>
            </div>
            <fieldset className="space-y-2" aria-describedby={describedBy("scopes")}>
              <legend className="text-sm font-medium">Scopes</legend>
              {scopes.length === 0 && (
                <p className="text-sm text-muted-foreground">Your organization&apos;s admins have not allowed members to grant any scope.</p>
              )}
              <div className="flex flex-wrap gap-4">
                {scopes.map((scope) => (
                  <label key={scope} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="scopes" value={scope} className="size-4 accent-primary" />
                    <span className="font-mono">{scope}</span>
                  </label>
                ))}
              </div>
              <FieldError id="scopes-error">{fieldError("scopes")}</FieldError>
            </fieldset>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-2">
                <Label htmlFor="key-expires">Expires (optional)</Label>
                <Input id="key-expires" name="expiresAt" type="datetime-local" aria-invalid={Boolean(fieldError("expiresAt"))} aria-describedby={describedBy("expiresAt")} />
                <FieldError id="expiresAt-error">{fieldError("expiresAt")}</FieldError>
              </div>
              <div className="space-y-2">
                <Label htmlFor="key-rate-limit">Rate limit per minute (optional)</Label>
                <Input id="key-rate-limit" name="rateLimitPerMinute" type="number" min={1} step={1} inputMode="numeric" placeholder="No limit" aria-invalid={Boolean(fieldError("rateLimitPerMinute"))} aria-describedby={describedBy("rateLimitPerMinute")} />
                <FieldError id="rateLimitPerMinute-error">{fieldError("rateLimitPerMinute")}</FieldError>
              </div>
            </div>
            {errors.message && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errors.message}
              </p>
            )}
            <DialogFooter>
              <Button type="submit" disabled={pending || scopes.length === 0}>
                {pending ? "Creating…" : "Create key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
