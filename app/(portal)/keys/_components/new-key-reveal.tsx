"use client";

import { CheckIcon, CopyIcon, TriangleAlertIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DialogClose, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import type { NewKey } from "../actions";

/** The whole key, shown once inside a dialog; the parent forgets it when the dialog closes. */
export function NewKeyReveal({ newKey, title }: { newKey: NewKey; title: string }) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(newKey.key);
      setCopied(true);
    } catch {
      // Clipboard access can be refused (permissions, insecure origin); the field stays selectable by hand.
      toast.error("Could not copy. Select the key and copy it yourself.");
    }
  };

  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>Copy the key for “{newKey.name}” and store it somewhere safe.</DialogDescription>
      </DialogHeader>
      <p role="alert" className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100">
        <TriangleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        This is the only time the key is shown. We store only a hash of it, so it cannot be shown again.
      </p>
      <div className="space-y-2">
        <Label htmlFor="new-api-key">API key</Label>
        {/* The whole key in view, wrapped anywhere, so it can be read and checked against what was pasted. */}
        <textarea
          id="new-api-key"
          readOnly
          rows={2}
          value={newKey.key}
          spellCheck={false}
          className="block w-full resize-none rounded-md border bg-muted/50 px-3 py-2 font-mono text-sm break-all outline-none focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/40"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button type="button" variant="outline" onClick={copy} aria-live="polite" className="w-full sm:w-auto">
          {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button">Done</Button>
        </DialogClose>
      </DialogFooter>
    </>
  );
}
