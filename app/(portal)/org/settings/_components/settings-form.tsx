"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { FieldErrors } from "@/lib/actions";
import { updateOrganizationSettingsAction } from "../../actions";

type SettingsFormProps = { name: string; configuredScopes: string[]; memberKeyScopes: string[] | null };

export function SettingsForm({ name, configuredScopes, memberKeyScopes }: SettingsFormProps) {
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<FieldErrors | undefined>();
  const [mode, setMode] = useState<"all" | "listed">(memberKeyScopes === null ? "all" : "listed");
  const [checked, setChecked] = useState<string[]>(memberKeyScopes ?? configuredScopes);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const nameValue = String(new FormData(event.currentTarget).get("name") ?? "");
    startTransition(async () => {
      // An object, not FormData: FormData would keep only one of the checked scopes.
      const result = await updateOrganizationSettingsAction({ name: nameValue, memberScopesMode: mode, memberKeyScopes: checked });
      setErrors(result.success ? undefined : result.fieldErrors);
      if (result.success) toast.success("Saved the organization settings.");
      else toast.error(result.error);
    });
  }

  const toggle = (scope: string, on: boolean) => setChecked((current) => (on ? [...current, scope] : current.filter((entry) => entry !== scope)));

  return (
    <form onSubmit={submit} className="max-w-md space-y-5" noValidate>
      <div className="space-y-2">
        <Label htmlFor="org-name">Organization name</Label>
        <Input id="org-name" name="name" defaultValue={name} required aria-invalid={errors?.name ? true : undefined} aria-describedby="org-name-error" />
        <FieldError id="org-name-error">{errors?.name?.[0]}</FieldError>
      </div>
      <fieldset className="space-y-3" aria-describedby="scopes-error">
        <legend className="text-sm font-medium">Scopes members may grant</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" value="all" checked={mode === "all"} onChange={() => setMode("all")} className="size-4 accent-primary" />
          Every scope, including ones configured later
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="mode" value="listed" checked={mode === "listed"} onChange={() => setMode("listed")} className="size-4 accent-primary" />
          Only these:
        </label>
        <div className="flex flex-wrap gap-4 pl-6">
          {configuredScopes.map((scope) => (
            <label key={scope} className="flex items-center gap-2 font-mono text-sm">
              <input
                type="checkbox"
                checked={checked.includes(scope)}
                disabled={mode === "all"}
                onChange={(event) => toggle(scope, event.target.checked)}
                className="size-4 accent-primary"
              />
              {scope}
            </label>
          ))}
        </div>
        {mode === "listed" && checked.length === 0 && <p className="text-xs text-muted-foreground">Members will not be able to create keys with any scope.</p>}
        <FieldError id="scopes-error">{errors?.memberKeyScopes?.[0]}</FieldError>
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
