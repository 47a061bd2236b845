import { SearchIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A plain GET form: the search lives in the URL, so it can be shared and survives a reload. */
export function SearchForm({ action, label, placeholder, value }: { action: string; label: string; placeholder: string; value?: string }) {
  return (
    <form action={action} method="get" role="search" className="flex max-w-xl flex-col gap-2 sm:flex-row sm:items-end">
      <div className="grid flex-1 gap-1.5">
        <Label htmlFor="admin-search">{label}</Label>
        <Input id="admin-search" name="q" type="search" defaultValue={value} placeholder={placeholder} maxLength={200} />
      </div>
      <Button type="submit">
        <SearchIcon aria-hidden="true" />
        Search
      </Button>
    </form>
  );
}
