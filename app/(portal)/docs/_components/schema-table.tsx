import { Badge } from "@/components/ui/badge";
import { schemaRows, schemaVariants, typeOf, type JsonSchema } from "./schema-rows";

const cell = "border-b px-3 py-2 align-top";

function RowsTable({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const rows = schemaRows(schema);
  if (rows.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        {caption}: <code>{typeOf(schema)}</code>
        {schema.description ? ` (${schema.description})` : ""}
      </p>
    );
  }
  return (
    // Scrolls inside its card at 375 px; focusable so a keyboard can scroll it too.
    <div role="region" aria-label={caption} tabIndex={0} className="overflow-x-auto rounded-md border outline-none focus-visible:ring-2 focus-visible:ring-ring">
      <table className="w-full min-w-[560px] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-muted/50 text-xs text-muted-foreground">
          <tr>
            <th scope="col" className={cell}>Field</th>
            <th scope="col" className={cell}>Type</th>
            <th scope="col" className={cell}>Required</th>
            <th scope="col" className={cell}>Constraints</th>
            <th scope="col" className={cell}>Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field} className="last:[&>td]:border-b-0">
              <td className={cell}>
                <code className="font-medium break-all">{row.field}</code>
              </td>
              <td className={cell}>
                <code className="text-xs break-words">{row.type}</code>
              </td>
              <td className={cell}>{row.required ? <Badge variant="secondary">required</Badge> : <span className="text-muted-foreground">optional</span>}</td>
              <td className={`${cell} text-xs`}>{row.constraints.join("; ") || "—"}</td>
              <td className={`${cell} text-xs text-muted-foreground`}>{row.description || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A schema from the OpenAPI document as one table, or one per variant of a union. */
export function SchemaTable({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const variants = schemaVariants(schema);
  if (variants.length === 1) return <RowsTable schema={variants[0]!} caption={caption} />;
  return (
    <div className="space-y-3">
      {variants.map((variant, index) => (
        <div key={index} className="space-y-1">
          <p className="text-xs font-medium text-muted-foreground">
            Variant {index + 1} of {variants.length}
          </p>
          <RowsTable schema={variant} caption={`${caption}, variant ${index + 1}`} />
        </div>
      ))}
    </div>
  );
}
