"use client";

import { ChevronsRightIcon } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * Scrolls a table that is wider than its card inside the card, and says so: a fade on the edge that hides
 * columns and a "scroll for more" hint, both gone once the last column is in view. Without them a phone
 * shows the first columns only and nothing tells the reader that Status and the actions exist.
 */
export function TableScroll({ children }: { children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState({ left: false, right: false });

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => {
      // One pixel of slack: zoomed layouts report fractional widths.
      const right = element.scrollWidth - element.clientWidth - element.scrollLeft > 1;
      const left = element.scrollLeft > 1;
      setHidden((previous) => (previous.left === left && previous.right === right ? previous : { left, right }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    element.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener("scroll", measure);
    };
  }, []);

  const overflowing = hidden.left || hidden.right;
  return (
    <div className="w-full" data-overflowing={overflowing || undefined}>
      <div className="relative">
        <div
          ref={scroller}
          data-slot="table-scroll"
          // Focusable when it scrolls, so keyboard users can scroll it with the arrow keys (axe: scrollable-region-focusable).
          tabIndex={overflowing ? 0 : undefined}
          role={overflowing ? "region" : undefined}
          aria-label={overflowing ? "Table, scrolls sideways" : undefined}
          // Positioned, so absolutely placed content (sr-only text in cells) scrolls and clips with the table
          // instead of widening the page.
          className="relative w-full overflow-x-auto rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring"
        >
          {children}
        </div>
        {hidden.left && (
          <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 left-0 w-6 bg-gradient-to-r from-card to-transparent" />
        )}
        {hidden.right && (
          <div aria-hidden="true" className="pointer-events-none absolute inset-y-0 right-0 w-10 bg-gradient-to-l from-card to-transparent" />
        )}
      </div>
      {hidden.right && (
        <p data-testid="table-scroll-hint" className="mt-2 flex items-center justify-end gap-1 text-xs text-muted-foreground">
          Scroll sideways for more columns
          <ChevronsRightIcon className="size-3.5" aria-hidden="true" />
        </p>
      )}
    </div>
  );
}
