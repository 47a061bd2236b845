import type * as React from "react";

import { Logo } from "@/components/shell/logo";
import { DeferredMobileNav, DeferredUserMenu } from "@/components/shell/deferred-menus";
import { SidebarNav } from "@/components/shell/sidebar-nav";

export type Viewer = {
  name: string | null;
  email: string;
  image: string | null;
  role: "user" | "client_admin" | "business_admin";
};

export type AppShellProps = {
  viewer: Viewer;
  organization: { name: string };
  signOutAction: () => Promise<void>;
  /** Rendered above the page content, e.g. a "verify your email" notice. */
  banner?: React.ReactNode;
  children: React.ReactNode;
};

export function AppShell({ viewer, organization, signOutAction, banner, children }: AppShellProps) {
  const showAdmin = viewer.role === "business_admin";

  return (
    <div className="min-h-dvh">
      <a
        href="#main-content"
        className="sr-only rounded-md bg-card text-sm font-medium shadow-md focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:px-4 focus:py-2 focus:ring-2 focus:ring-ring focus:outline-none"
      >
        Skip to content
      </a>

      <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r bg-card md:flex print:hidden">
        <div className="flex h-14 items-center border-b px-4">
          <Logo href="/dashboard" />
        </div>
        <SidebarNav showAdmin={showAdmin} role={viewer.role} className="flex-1 overflow-y-auto p-3" />
      </aside>

      <div className="flex min-h-dvh flex-col md:pl-60 print:pl-0">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80 md:px-6 print:hidden">
          <DeferredMobileNav showAdmin={showAdmin} role={viewer.role} />
          <p className="truncate text-sm font-medium">{organization.name}</p>
          <div className="ml-auto">
            <DeferredUserMenu viewer={viewer} signOutAction={signOutAction} />
          </div>
        </header>

        <div className="print:hidden">{banner}</div>

        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 outline-none md:px-8">
          <div className="mx-auto w-full max-w-6xl">{children}</div>
        </main>
      </div>
    </div>
  );
}
