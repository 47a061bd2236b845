import Link from "next/link";
import { Button } from "@/components/ui/button";

type TablePagerProps = {
  /** Names the navigation landmark, e.g. "Payment history pages". */
  label: string;
  /** Back to the first page; omitted on the first page. */
  newestHref?: string;
  /** The next, older page; omitted on the last page. */
  olderHref?: string;
  olderLabel: string;
};

/** Keyset pages only go one way, so the links are "older" and "back to the newest", never page numbers. */
export function TablePager({ label, newestHref, olderHref, olderLabel }: TablePagerProps) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap justify-end gap-2 print:hidden">
      {newestHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={newestHref} prefetch={false}>
            Newest
          </Link>
        </Button>
      )}
      {olderHref && (
        <Button asChild variant="outline" size="sm">
          <Link href={olderHref} prefetch={false}>
            {olderLabel}
          </Link>
        </Button>
      )}
    </nav>
  );
}
