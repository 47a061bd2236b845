"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";

// On an ordinary navigation the new head streams in after the page, so the title is briefly empty; by this
// time it has long arrived.
const headArrivesWithin = 2_000;

/**
 * Works around vercel/next.js#98684 (open in 16.4.6): a link clicked while its prefetch is still in flight can
 * commit the new page without its head, so the tab loses its title for good and the route announcer has none to
 * read. Every page has a title (the root layout's default at least), so a title still empty after a navigation
 * means the head was dropped; a refresh asks the server for the page again, head included, and keeps client state.
 */
export function TitleRecovery() {
  const pathname = usePathname();
  const router = useRouter();
  useEffect(() => {
    const check = setTimeout(() => {
      if (document.title === "") router.refresh();
    }, headArrivesWithin);
    return () => clearTimeout(check);
  }, [pathname, router]);
  return null;
}
