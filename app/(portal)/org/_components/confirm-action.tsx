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
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions";

type ConfirmActionProps = {
  trigger: string;
  triggerLabel: string;
  title: string;
  description: string;
  confirm: string;
  pendingLabel: string;
  destructive?: boolean;
  /** The dialog's way out; "Cancel" unless the action itself is a cancellation. */
  dismiss?: string;
  run: () => Promise<ActionResult<unknown>>;
  successMessage: string;
};

/** A button that asks first, keeps the dialog open until the server answers, and toasts the outcome. */
export function ConfirmAction({ trigger, triggerLabel, title, description, confirm, pendingLabel, destructive, dismiss = "Cancel", run, successMessage }: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  const submit = (event: MouseEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await run();
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
        <Button size="sm" variant="outline" className={destructive ? "text-destructive" : undefined} aria-label={triggerLabel}>
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
