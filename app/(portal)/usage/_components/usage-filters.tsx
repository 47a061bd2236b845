"use client";

import { useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { LoaderCircleIcon } from "lucide-react";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  earliestUsageDay,
  usageViewHref,
  type SortDirection,
  type UsageSort,
  type UsageView,
  type UsageViewIssues,
} from "@/lib/usage/explorer-params";
import { cn } from "@/lib/utils";

type UsageFiltersProps = {
  view: UsageView;
  issues: UsageViewIssues;
  defaults: { from: string; to: string };
  /** The last day a filter may end on (tomorrow, UTC: reports may be dated up to a day ahead). */
  latestDay: string;
  keys: Array<{ id: string; name: string; revoked: boolean }>;
  endpoints: string[];
};

const sortOptions: Array<{ value: `${UsageSort}:${SortDirection}`; label: string }> = [
  { value: "time:desc", label: "Newest first" },
  { value: "time:asc", label: "Oldest first" },
  { value: "credits:desc", label: "Most credits first" },
  { value: "credits:asc", label: "Fewest credits first" },
];

const selectClass = cn(
  "flex h-9 w-full min-w-0 rounded-md border bg-background px-3 py-1 text-sm shadow-xs outline-none",
  "focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/40 aria-invalid:border-destructive",
);

/**
 * The filters of the explorer, kept in the URL: every change pushes a new history entry (so Back returns to
 * the previous view) and starts again from the first page. The server parses and checks what arrives.
 */
export function UsageFilters({ view, issues, defaults, latestDay, keys, endpoints }: UsageFiltersProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function apply(form: HTMLFormElement) {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "");
    const [sort, dir] = text("order").split(":") as [UsageSort, SortDirection];
    const from = text("from") || defaults.from;
    const to = text("to") || defaults.to;
    const next: UsageView = { filter: { from, to, keyId: text("keyId") || undefined, endpoint: text("endpoint") || undefined }, sort, dir };
    startTransition(() => router.push(usageViewHref(next, defaults)));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    apply(event.currentTarget);
  }

  // A date input reports every edited segment; only a whole, plausible day is worth a navigation.
  function onDateChange(input: HTMLInputElement) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(input.value) && input.value >= earliestUsageDay && input.value <= latestDay) apply(input.form!);
  }

  const field = (name: keyof UsageViewIssues) => ({
    "aria-invalid": issues[name] ? true : undefined,
    "aria-describedby": issues[name] ? `usage-${name}-error` : undefined,
  });
  const filtered = view.filter.keyId || view.filter.endpoint || view.filter.from !== defaults.from || view.filter.to !== defaults.to;

  return (
    <form onSubmit={onSubmit} aria-label="Usage filters" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5" aria-busy={pending}>
      <div className="space-y-2">
        <Label htmlFor="usage-from">From (UTC)</Label>
        <Input id="usage-from" name="from" type="date" min={earliestUsageDay} max={latestDay} defaultValue={view.filter.from}
          onChange={(event) => onDateChange(event.currentTarget)} {...field("from")} />
        <FieldError id="usage-from-error">{issues.from}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="usage-to">To (UTC, inclusive)</Label>
        <Input id="usage-to" name="to" type="date" min={earliestUsageDay} max={latestDay} defaultValue={view.filter.to}
          onChange={(event) => onDateChange(event.currentTarget)} {...field("to")} />
        <FieldError id="usage-to-error">{issues.to}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="usage-key">API key</Label>
        <select id="usage-key" name="keyId" defaultValue={view.filter.keyId ?? ""} className={selectClass}
          onChange={(event) => apply(event.currentTarget.form!)} {...field("keyId")}>
          <option value="">All keys</option>
          {keys.map((key) => (
            <option key={key.id} value={key.id}>
              {key.revoked ? `${key.name} (revoked)` : key.name}
            </option>
          ))}
        </select>
        <FieldError id="usage-keyId-error">{issues.keyId}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="usage-endpoint">Endpoint</Label>
        <select id="usage-endpoint" name="endpoint" defaultValue={view.filter.endpoint ?? ""} className={selectClass}
          onChange={(event) => apply(event.currentTarget.form!)} {...field("endpoint")}>
          <option value="">All endpoints</option>
          {/* An endpoint from a shared link that this organization has not used yet still shows as chosen. */}
          {[...new Set([...endpoints, ...(view.filter.endpoint ? [view.filter.endpoint] : [])])].map((endpoint) => (
            <option key={endpoint} value={endpoint}>
              {endpoint}
            </option>
          ))}
        </select>
        <FieldError id="usage-endpoint-error">{issues.endpoint}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="usage-order">Sort</Label>
        <select id="usage-order" name="order" defaultValue={`${view.sort}:${view.dir}`} className={selectClass}
          onChange={(event) => apply(event.currentTarget.form!)}>
          {sortOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-5">
        {/* Enter in a date field applies it too; the button is for those who type a date and move on. */}
        <button type="submit" className="sr-only focus:not-sr-only focus:rounded-md focus:px-3 focus:py-1 focus:text-sm focus:ring-2 focus:ring-ring">
          Apply filters
        </button>
        {filtered && (
          <Link href="/usage" className="rounded-sm text-sm font-medium underline underline-offset-4 outline-none focus-visible:ring-2 focus-visible:ring-ring">
            Clear filters
          </Link>
        )}
        <span role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
          {pending && (
            <>
              <LoaderCircleIcon className="size-4 animate-spin" aria-hidden="true" /> Updating…
            </>
          )}
        </span>
      </div>
    </form>
  );
}
