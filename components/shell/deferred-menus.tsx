"use client";

import dynamic from "next/dynamic";
import { MenuIcon } from "lucide-react";

/**
 * The user menu and the mobile navigation sheet, loaded after the page has hydrated: their Radix dropdown and
 * dialog are a sixth of every portal page's first-load JavaScript, and neither is needed to read the page. Until
 * they arrive, a placeholder of the same size holds their place, so nothing moves.
 */

export const DeferredUserMenu = dynamic(() => import("./user-menu").then((module) => module.UserMenu), {
  ssr: false,
  loading: () => <div className="h-9 w-9 rounded-md sm:w-36" aria-hidden="true" />,
});

export const DeferredMobileNav = dynamic(() => import("./mobile-nav").then((module) => module.MobileNav), {
  ssr: false,
  loading: () => (
    <span className="inline-flex size-9 items-center justify-center text-muted-foreground md:hidden" aria-hidden="true">
      <MenuIcon className="size-4" />
    </span>
  ),
});
