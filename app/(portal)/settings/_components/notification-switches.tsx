"use client";

import { useOptimistic, useTransition } from "react";
import { toast } from "sonner";
import { Switch } from "radix-ui";
import type { NotificationPreference, NotificationPreferences } from "@/lib/users/preferences";
import { setNotificationPreferenceAction } from "../actions";

const options: Array<{ preference: NotificationPreference; label: string; description: string }> = [
  { preference: "notifyLowCredit", label: "Low-credit alerts", description: "When your organization's balance falls below its low-credit threshold." },
  { preference: "notifyForecast", label: "Forecast alerts", description: "When, at the last 7 days' rate, the credits run out within 3 days (at most once every 3 days)." },
  { preference: "notifyReceipts", label: "Payment receipts", description: "A receipt for every credit purchase made for your organization." },
];

/** Each switch saves on its own as it is flipped; the saved state comes back from the server. */
export function NotificationSwitches({ preferences }: { preferences: NotificationPreferences }) {
  const [pending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(preferences, (current, change: { preference: NotificationPreference; enabled: boolean }) => ({
    ...current,
    [change.preference]: change.enabled,
  }));
  const change = (preference: NotificationPreference, label: string, enabled: boolean) => {
    startTransition(async () => {
      setShown({ preference, enabled });
      const result = await setNotificationPreferenceAction({ preference, enabled });
      if (result.success) toast.success(`${label} ${enabled ? "on" : "off"}.`);
      else toast.error(result.error);
    });
  };
  return (
    <ul className="divide-y rounded-md border" aria-busy={pending}>
      {options.map((option) => (
        <li key={option.preference} className="flex items-start justify-between gap-4 p-4">
          <div className="space-y-1">
            <label htmlFor={option.preference} className="text-sm font-medium">
              {option.label}
            </label>
            <p id={`${option.preference}-description`} className="text-sm text-muted-foreground">
              {option.description}
            </p>
          </div>
          <Switch.Root
            id={option.preference}
            checked={shown[option.preference]}
            onCheckedChange={(enabled) => change(option.preference, option.label, enabled)}
            aria-describedby={`${option.preference}-description`}
            className="peer inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent transition-colors outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background data-[state=checked]:bg-primary data-[state=unchecked]:bg-muted-foreground/40"
          >
            <Switch.Thumb className="pointer-events-none block size-5 rounded-full bg-background shadow-sm ring-0 transition-transform data-[state=checked]:translate-x-5 data-[state=unchecked]:translate-x-0" />
          </Switch.Root>
        </li>
      ))}
    </ul>
  );
}
