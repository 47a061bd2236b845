"use client";

import { useState, useTransition, type MouseEvent } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, type ButtonProps } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";

type ConfirmActionProps<Input> = {
  /** A server action and its input: both cross from a Server Component, which a closure could not. */
  action: (input: Input) => Promise<ActionResult<unknown>>;
  input: Input;
  trigger: string;
  /** The accessible name when the visible label alone is ambiguous in a list; it must contain that label. */
  triggerLabel?: string;
  title: string;
  description: string;
  /** The confirming button's text; the trigger's when left out. */
  confirm?: string;
  pendingLabel?: string;
  variant?: ButtonProps["variant"];
  /** Red text on an outline button, for destructive actions that should not shout in a table row. */
  destructive?: boolean;
  /** The dialog's way out; "Cancel" unless the action itself is a cancellation. */
  dismiss?: string;
  successMessage: string;
};

/** A button that asks first, keeps the dialog open until the server answers, and toasts the outcome. */
export function ConfirmAction<Input>({
  action,
  input,
  trigger,
  triggerLabel,
  title,
  description,
  confirm = trigger,
  pendingLabel = "Working…",
  variant = "outline",
  destructive,
  dismiss = "Cancel",
  successMessage,
}: ConfirmActionProps<Input>) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  const submit = (event: MouseEvent) => {
    // Keep the dialog open while the action runs, so a failure is shown where it happened.
    event.preventDefault();
    startTransition(async () => {
      const result = await action(input);
      if (result.success) {
        toast.success(successMessage);
        setOpen(false);
      } else {
        toast.error(result.error);
      }
    });
  };

  return (
    <AlertDialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button type="button" size="sm" variant={variant} className={destructive ? "text-destructive" : undefined} aria-label={triggerLabel}>
          {trigger}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>{dismiss}</AlertDialogCancel>
          <AlertDialogAction onClick={submit} disabled={pending}>
            {pending ? pendingLabel : confirm}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
