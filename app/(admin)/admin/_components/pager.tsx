import Link from "next/link";
import { Button } from "@/components/ui/button";

type PagerProps = { label: string; firstHref?: string; nextHref?: string; nextLabel: string };

/** Keyset pages only go one way: "next" (older) and back to the first, never page numbers. */
export function Pager({ label, firstHref, nextHref, nextLabel }: PagerProps) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap justify-end gap-2">
      {firstHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={firstHref} prefetch={false}>
            First page
          </Link>
        </Button>
      )}
      {nextHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={nextHref} prefetch={false}>
            {nextLabel}
          </Link>
        </Button>
      )}
    </nav>
  );
}
