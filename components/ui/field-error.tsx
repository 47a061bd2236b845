import type * as React from "react";

import { cn } from "@/lib/utils";

/**
 * Error text under a form field. Give it an `id` and point the input's `aria-describedby` at it.
 * Renders nothing without children so a form can always mount it with `errors?.field`.
 */
function FieldError({ className, children, ...props }: React.ComponentProps<"p">) {
  if (!children) return null;
  return (
    <p role="alert" className={cn("text-sm font-medium text-destructive", className)} {...props}>
      {children}
    </p>
  );
}

export { FieldError };
