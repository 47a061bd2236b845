import Link from "next/link";
import { cn } from "@/lib/utils";

export const settingsTabs = [
  { id: "profile", href: "/settings/profile", label: "Profile" },
  { id: "security", href: "/settings/security", label: "Security" },
  { id: "sessions", href: "/settings/sessions", label: "Sessions" },
  { id: "notifications", href: "/settings/notifications", label: "Notifications" },
] as const;

export type SettingsTab = (typeof settingsTabs)[number]["id"];

/**
 * The settings heading and its tabs. Each page names its own tab, so the active state is rendered on the
 * server (no client JavaScript) and is right on the first paint. Links, not a tablist: each tab is a page
 * with its own URL, so `aria-current="page"` is the matching semantics.
 */
export function SettingsHeader({ active, description }: { active: SettingsTab; description?: string }) {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      {description && <p className="text-sm text-muted-foreground">{description}</p>}
      <nav aria-label="Settings" className="-mx-1 overflow-x-auto border-b px-1">
        <ul className="flex min-w-max gap-1 text-sm">
          {settingsTabs.map((tab) => {
            const current = tab.id === active;
            return (
              <li key={tab.id}>
                <Link
                  href={tab.href}
                  aria-current={current ? "page" : undefined}
                  className={cn(
                    "-mb-px inline-flex h-10 items-center rounded-t-md border-b-2 px-3 outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset",
                    current
                      ? "border-primary font-medium text-foreground"
                      : "border-transparent text-muted-foreground hover:border-muted-foreground/40 hover:text-foreground",
                  )}
                >
                  {tab.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </div>
  );
}
