import Link from "next/link";
import { cn } from "@/lib/utils";

const tabs = [
  { href: "/org/members", label: "Members" },
  { href: "/org/settings", label: "Settings" },
] as const;

export function OrgHeader({ title, organizationName, current }: { title: string; organizationName: string; current: (typeof tabs)[number]["href"] }) {
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="text-sm text-muted-foreground">{organizationName}</p>
      </div>
      <nav aria-label="Organization" className="flex gap-4 border-b text-sm">
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={tab.href === current ? "page" : undefined}
            className={cn(
              "-mb-px rounded-sm border-b-2 pb-2 outline-none focus-visible:ring-2 focus-visible:ring-ring",
              tab.href === current ? "border-foreground font-medium" : "border-transparent text-muted-foreground hover:border-foreground hover:text-foreground",
            )}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
