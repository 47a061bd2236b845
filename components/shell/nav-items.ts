import {
  ActivityIcon,
  BookOpenIcon,
  Building2Icon,
  CreditCardIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  PackageIcon,
  ReceiptTextIcon,
  ScrollTextIcon,
  ServerCogIcon,
  SettingsIcon,
  UsersIcon,
  type LucideIcon,
} from "lucide-react";
import type { Permission } from "@/lib/auth/permissions";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  /** Shown only to roles the permission table gives this permission (the page checks it again on the server). */
  permission?: Permission;
};

/** Portal pages every member sees, in sidebar order. Each feature appends its page here. */
export const navItems: NavItem[] = [
  { href: "/dashboard", label: "Dashboard", icon: LayoutDashboardIcon },
  { href: "/usage", label: "Usage", icon: ActivityIcon },
  { href: "/keys", label: "API keys", icon: KeyRoundIcon },
  { href: "/billing", label: "Billing", icon: CreditCardIcon },
  { href: "/org/members", label: "Organization", icon: Building2Icon, permission: "members.read" },
  { href: "/docs", label: "Docs", icon: BookOpenIcon },
  { href: "/settings", label: "Settings", icon: SettingsIcon },
];

/**
 * Shown only to `business_admin`. Hiding a link is not access control:
 * the admin routes check the role again on the server.
 */
export const adminNavItems: NavItem[] = [
  { href: "/admin/organizations", label: "Organizations", icon: Building2Icon },
  { href: "/admin/users", label: "Users", icon: UsersIcon },
  { href: "/admin/packages", label: "Credit packages", icon: PackageIcon },
  { href: "/admin/payments", label: "All payments", icon: ReceiptTextIcon },
  { href: "/admin/audit", label: "Audit log", icon: ScrollTextIcon },
  { href: "/admin/system", label: "System", icon: ServerCogIcon },
];
