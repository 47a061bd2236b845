import Link from "next/link";
import { CoinsIcon } from "lucide-react";

import { cn } from "@/lib/utils";

export function Logo({ href = "/", className }: { href?: string; className?: string }) {
  return (
    <Link
      href={href}
      className={cn(
        "inline-flex shrink-0 items-center gap-2 rounded-md font-semibold whitespace-nowrap tracking-tight outline-none focus-visible:ring-2 focus-visible:ring-ring",
        className,
      )}
    >
      <span className="flex size-7 shrink-0 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <CoinsIcon className="size-4" aria-hidden="true" />
      </span>
      Credit Portal
    </Link>
  );
}
