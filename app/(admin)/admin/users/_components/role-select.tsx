"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { Role } from "@/db/schema";
import { changeUserRoleAction } from "../../actions";
import { roleLabels, selectClass } from "../../_components/labels";

/** The role and a Save button; the server refuses demoting an organization's last client admin. */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const [chosen, setChosen] = useState<Role>(role);
  const [pending, startTransition] = useTransition();
  const save = () =>
    startTransition(async () => {
      const result = await changeUserRoleAction({ userId, role: chosen });
      if (result.success) toast.success(`${result.data.email} is now a ${roleLabels[result.data.role].toLowerCase()}.`);
      else {
        toast.error(result.error);
        setChosen(role);
      }
    });
  return (
    <div className="flex min-w-52 items-center gap-2">
      <select aria-label={`Role of ${email}`} className={selectClass} value={chosen} onChange={(event) => setChosen(event.target.value as Role)} disabled={pending}>
        {(Object.keys(roleLabels) as Role[]).map((value) => (
          <option key={value} value={value}>
            {roleLabels[value]}
          </option>
        ))}
      </select>
      <Button size="sm" variant="outline" onClick={save} disabled={pending || chosen === role} aria-label={`Save the role of ${email}`}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </div>
  );
}
