"use client";

import { useState, useTransition } from "react";
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

type ConfirmActionButtonProps = {
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  input: Record<string, string>;
  /** The button's text; also the confirming button's text. */
  label: string;
  /** The accessible name when the visible label is ambiguous in a list ("Revoke" on every row). */
  ariaLabel?: string;
  title: string;
  description: string;
  successMessage: string;
  variant?: ButtonProps["variant"];
};

/** A destructive server action behind a confirmation dialog, with a toast for the outcome. */
export function ConfirmActionButton({ action, input, label, ariaLabel, title, description, successMessage, variant = "outline" }: ConfirmActionButtonProps) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const confirm = (event: React.MouseEvent) => {
    // Keep the dialog open while the action runs, so a failure is shown where it happened.
    event.preventDefault();
    startTransition(async () => {
      const result = await action(input);
      if (result.success) {
        setOpen(false);
        toast.success(successMessage);
      } else {
        toast.error(result.error);
      }
    });
  };
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button type="button" size="sm" variant={variant} aria-label={ariaLabel}>
          {label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={confirm} disabled={pending}>
            {pending ? "Working…" : label}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
