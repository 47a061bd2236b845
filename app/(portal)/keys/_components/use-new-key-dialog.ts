"use client";

import { useState, useTransition } from "react";
import type { NewKey } from "../actions";
import type { FormErrors } from "./key-form";

/** The state shared by the dialogs that end by showing a new key once (create, roll). */
export function useNewKeyDialog() {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const [pending, startTransition] = useTransition();

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    // Closing is the end of "shown once": the key leaves memory with the dialog.
    if (!next) {
      setNewKey(null);
      setErrors({});
    }
  };

  return { open, onOpenChange, errors, setErrors, newKey, setNewKey, pending, startTransition };
}
