import type { Metadata } from "next";
import { PackageIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { Badge } from "@/components/ui/badge";
import { TableCell, TableRow } from "@/components/ui/table";
import { requireBusinessAdmin } from "@/lib/admin/guard";
import { formatCredits, formatMoney } from "@/lib/format";
import { listAllPackages } from "@/lib/packages";
import { PackageActiveButton } from "./_components/package-active-button";
import { PackageDialog } from "./_components/package-dialog";

export const metadata: Metadata = { title: "Credit packages · Admin" };

const columns = [{ label: "Package" }, { label: "State" }, { label: "Credits", numeric: true }, { label: "Price", numeric: true }, { label: "Order", numeric: true }, { label: "Actions", numeric: true }];

export default async function PackagesPage() {
  await requireBusinessAdmin("/admin/packages");
  const packages = await listAllPackages();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Credit packages</h1>
        <PackageDialog />
      </div>
      <TableCard title="Packages" columns={columns} rowCount={packages.length} empty={{ icon: PackageIcon, title: "No packages", description: "Create a package so that organizations can buy credits." }}>
        {packages.map((pack) => (
          <TableRow key={pack.id} data-testid="admin-package-row">
            <TableCell className="font-medium">{pack.name}</TableCell>
            <TableCell>{pack.active ? <Badge variant="success">Active</Badge> : <Badge variant="secondary">Inactive</Badge>}</TableCell>
            <TableCell className="text-right tabular-nums">{formatCredits(pack.credits)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatMoney(pack.priceCents, pack.currency)}</TableCell>
            <TableCell className="text-right tabular-nums">{pack.sortOrder}</TableCell>
            <TableCell>
              <div className="flex justify-end gap-2">
                <PackageDialog pack={pack} />
                <PackageActiveButton pack={pack} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableCard>
    </div>
  );
}
