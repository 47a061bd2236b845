import { BookOpenIcon, CreditCardIcon, KeyRoundIcon, LineChartIcon, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCredits } from "@/lib/format";

type Counts = { activeKeys: number; members: number };

/** The organization at a glance (keys, members) and the next things people usually do from here. */
export function QuickActions({ counts, canBuy }: { counts: Counts; canBuy: boolean }) {
  const actions: Array<{ href: string; label: string; icon: LucideIcon }> = [
    { href: "/keys", label: "Create an API key", icon: KeyRoundIcon },
    ...(canBuy ? [{ href: "/billing", label: "Buy credits", icon: CreditCardIcon }] : []),
    { href: "/usage", label: "View usage", icon: LineChartIcon },
    { href: "/docs", label: "Read the API docs", icon: BookOpenIcon },
  ];
  return (
    <Card>
      <CardHeader className="pb-3">
        <CardDescription>Organization</CardDescription>
        <CardTitle className="sr-only">Organization and quick actions</CardTitle>
        <dl className="grid grid-cols-2 gap-4">
          <div>
            <dt className="text-xs text-muted-foreground">Active API keys</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="active-key-count">{formatCredits(counts.activeKeys)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Members</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid="member-count">{formatCredits(counts.members)}</dd>
          </div>
        </dl>
      </CardHeader>
      <CardContent>
        <nav aria-label="Quick actions">
          <ul className="grid gap-1">
            {actions.map(({ href, label, icon: Icon }) => (
              <li key={href}>
                <Link
                  href={href}
                  className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium hover:bg-muted focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
                >
                  <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </CardContent>
    </Card>
  );
}
