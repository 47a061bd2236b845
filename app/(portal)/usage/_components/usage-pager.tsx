import Link from "next/link";
import { ChevronLeftIcon, ChevronRightIcon } from "lucide-react";
import { Button } from "@/components/ui/button";

type UsagePagerProps = {
  previousHref?: string;
  nextHref?: string;
  /** Shown once the view is past its first page. */
  firstHref?: string;
};

/** Keyset pages have neighbours, not numbers: previous, next and back to the first page. */
export function UsagePager({ previousHref, nextHref, firstHref }: UsagePagerProps) {
  if (!previousHref && !nextHref && !firstHref) return null;
  return (
    <nav aria-label="Usage pages" className="flex flex-wrap justify-end gap-2">
      {firstHref && (
        <Button asChild variant="ghost" size="sm">
          <Link href={firstHref} prefetch={false}>
            First page
          </Link>
        </Button>
      )}
      {previousHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={previousHref} prefetch={false}>
            <ChevronLeftIcon aria-hidden="true" /> Previous
          </Link>
        </Button>
      )}
      {nextHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={nextHref} prefetch={false}>
            Next <ChevronRightIcon aria-hidden="true" />
          </Link>
        </Button>
      )}
    </nav>
  );
}
