"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { adminNavItems, navItems } from "@/components/shell/nav-items";
import type { Role } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";

type SidebarNavProps = {
  showAdmin: boolean;
  /** Items carrying a permission show only when the permission table gives it to this role. */
  role: Role;
  /** Lets the mobile sheet close itself when a link is followed. */
  onNavigate?: () => void;
  className?: string;
};

// Items are imported here rather than passed in: icon components cannot cross the server/client boundary.
export function SidebarNav({ showAdmin, role, onNavigate, className }: SidebarNavProps) {
  const pathname = usePathname();
  const items = (showAdmin ? [...navItems, ...adminNavItems] : navItems).filter((item) => !item.permission || can(role, item.permission));

  return (
    <nav aria-label="Main" className={className}>
      <ul className="flex flex-col gap-1">
        {items.map(({ href, label, icon: Icon }) => {
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  active
                    ? "bg-muted text-foreground"
                    : "text-muted-foreground hover:bg-muted/60 hover:text-foreground",
                )}
              >
                <Icon className="size-4 shrink-0" aria-hidden="true" />
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
