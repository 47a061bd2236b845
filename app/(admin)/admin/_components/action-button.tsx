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

type AdminActionButtonProps<Output> = {
  action: (input: unknown) => Promise<ActionResult<Output>>;
  input: Record<string, string>;
  label: string;
  /** The accessible name when the visible label alone is ambiguous in a table ("Unlock ana@example.com"). */
  ariaLabel?: string;
  /** The toast once it worked. */
  done: (data: Output) => string;
  /** Destructive actions ask first. */
  confirm?: { title: string; description: string; action: string };
  variant?: ButtonProps["variant"];
};

/** One button for one admin action, with a toast for its outcome and, when destructive, a confirmation. */
export function AdminActionButton<Output>({ action, input, label, ariaLabel, done, confirm, variant = "outline" }: AdminActionButtonProps<Output>) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  const run = (event?: MouseEvent) => {
    // With a dialog, keep it open until the server answers, so the pending state and a failure stay visible.
    event?.preventDefault();
    startTransition(async () => {
      const result = await action(input);
      if (result.success) {
        toast.success(done(result.data));
        setOpen(false);
      } else {
        toast.error(result.error);
      }
    });
  };

  if (!confirm) {
    return (
      <Button size="sm" variant={variant} onClick={() => run()} disabled={pending} aria-label={ariaLabel}>
        {pending ? `${label}…` : label}
      </Button>
    );
  }
  return (
    <AlertDialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button size="sm" variant={variant} aria-label={ariaLabel}>
          {label}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{confirm.title}</AlertDialogTitle>
          <AlertDialogDescription>{confirm.description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={run} disabled={pending}>
            {pending ? "Working…" : confirm.action}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
