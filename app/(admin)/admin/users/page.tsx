import type { Metadata } from "next";
import Link from "next/link";
import { UsersIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { TableCell, TableRow } from "@/components/ui/table";
import { decodeTimeCursor } from "@/lib/admin/cursor";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { formatDateTime } from "@/lib/format";
import { searchUsers } from "@/lib/users/admin";
import { StateBadge } from "../_components/labels";
import { Pager } from "../_components/pager";
import { SearchForm } from "../_components/search-form";
import { firstValue, hrefWith, searchText, type SearchParams } from "../_components/search-params";
import { RoleSelect } from "./_components/role-select";
import { UserActions } from "./_components/user-actions";

export const metadata: Metadata = { title: "Users · Admin" };

const columns = [{ label: "User" }, { label: "Organization" }, { label: "Role" }, { label: "State" }, { label: "Failed sign-ins", numeric: true }, { label: "Sessions", numeric: true }, { label: "Actions", numeric: true }];

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireBusinessAdmin("/admin/users");
  const params = await searchParams;
  const query = searchText(params.q);
  const after = decodeTimeCursor(firstValue(params.after));
  const { rows, next } = await searchUsers({ query, after });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <SearchForm action="/admin/users" label="Search by email or name" placeholder="ana@example.com" value={query} />
      <TableCard
        title={query ? `Users matching “${query}”` : "All users"}
        columns={columns}
        rowCount={rows.length}
        empty={{ icon: UsersIcon, title: "No users found", description: query ? "Try part of the email address or the name." : "Users appear here once they sign up." }}
      >
        {rows.map((user) => (
          <TableRow key={user.id} data-testid="admin-user-row">
            <TableCell>
              <span className="font-medium">{user.email}</span>
              {user.name && <span className="block text-xs text-muted-foreground">{user.name}</span>}
            </TableCell>
            <TableCell>
              {user.organizationId ? (
                <Link href={`/admin/organizations/${user.organizationId}`} className="rounded-sm underline-offset-4 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring">
                  {user.organizationName}
                </Link>
              ) : (
                "—"
              )}
            </TableCell>
            <TableCell>{user.id === viewer.userId ? "Business admin (you)" : <RoleSelect userId={user.id} email={user.email} role={user.role} />}</TableCell>
            <TableCell>
              <StateBadge disabledAt={user.disabledAt} locked={user.locked} />
              {user.locked && user.lockedUntil && (
                <span className="block text-xs whitespace-nowrap text-muted-foreground">until {formatDateTime(user.lockedUntil)} UTC</span>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{user.failedLoginAttempts}</TableCell>
            <TableCell className="text-right tabular-nums">{user.sessions}</TableCell>
            <TableCell>{user.id === viewer.userId ? null : <UserActions user={user} />}</TableCell>
          </TableRow>
        ))}
      </TableCard>
      <Pager label="User pages" firstHref={after ? hrefWith("/admin/users", { q: query }) : undefined} nextHref={next ? hrefWith("/admin/users", { q: query, after: next }) : undefined} nextLabel="Older users" />
    </div>
  );
}
