"use client";

import { useActionState } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";

type ActionButtonProps = {
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  input: Record<string, string>;
  children: React.ReactNode;
  variant?: ButtonProps["variant"];
};

/** One button that runs one server action and shows its error beside it. */
export function ActionButton({ action, input, children, variant = "outline" }: ActionButtonProps) {
  const [state, run, pending] = useActionState((_previous: ActionResult<unknown> | null) => action(input), null);
  return (
    <form action={run} className="inline-flex items-center gap-2">
      <Button type="submit" size="sm" variant={variant} disabled={pending}>
        {children}
      </Button>
      {state && !state.success && (
        <span role="alert" className="text-sm text-destructive">
          {state.error}
        </span>
      )}
    </form>
  );
}
