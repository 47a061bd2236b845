"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions";

type Kept<T> = { result: ActionResult<T>; values: Record<string, string> };

/**
 * `useActionState` for a form whose action may refuse it, keeping what the user typed in the named fields.
 * React resets a form after its action; the fields read the kept values as their `defaultValue`, so the
 * reset puts them back instead of emptying them. Passwords are never kept: they are typed again.
 */
export function useKeptActionState<T>(run: (formData: FormData) => Promise<ActionResult<T>>, keep: readonly string[]) {
  const [state, action, pending] = useActionState(async (_previous: Kept<T> | null, formData: FormData): Promise<Kept<T>> => {
    const values = Object.fromEntries(keep.map((name) => [name, String(formData.get(name) ?? "")]));
    return { result: await run(formData), values };
  }, null);
  const failed = state && !state.result.success ? state.result : undefined;
  return {
    result: state?.result ?? null,
    action,
    pending,
    /** The refusal, when the last submission was refused. */
    failed,
    /** What the user typed in a kept field, for its `defaultValue`. */
    kept: (name: string) => state?.values[name],
  };
}
