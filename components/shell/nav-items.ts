import { ActivityIcon, BookOpenIcon, CreditCardIcon, KeyRoundIcon, LayoutDashboardIcon, SettingsIcon, type LucideIcon } from "lucide-react";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
};

/** Portal pages every member sees, in sidebar order. Each feature appends its page here. */
export const navItems: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboardIcon },
  { href: "/usage", label: "Usage", icon: ActivityIcon },
  { href: "/keys", label: "API keys", icon: KeyRoundIcon },
  { href: "/billing", label: "Billing", icon: CreditCardIcon },
  { href: "/docs", label: "Docs", icon: BookOpenIcon },
  { href: "/settings", label: "Settings", icon: SettingsIcon },
];

/**
 * Shown only to `business_admin`. Hiding a link is not access control:
 * the admin routes check the role again on the server.
 */
export const adminNavItems: NavItem[] = [];
