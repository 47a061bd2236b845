import type * as React from "react";
import type { LucideIcon } from "lucide-react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type TableColumn = { label: string; numeric?: boolean };

type TableCardProps = {
  title: string;
  columns: TableColumn[];
  /** Shown instead of the table when there are no rows. */
  empty: { icon: LucideIcon; title: string; description: string };
  rowCount: number;
  /** The table rows (TableRow elements). */
  children: React.ReactNode;
};

/** A titled card holding a table, or an empty state when the table would have no rows. */
export function TableCard({ title, columns, empty, rowCount, children }: TableCardProps) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent>
        {rowCount === 0 ? (
          <EmptyState icon={empty.icon} title={empty.title} description={empty.description} />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                {columns.map((column) => (
                  <TableHead key={column.label} className={column.numeric ? "text-right" : undefined}>
                    {column.label}
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>{children}</TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
