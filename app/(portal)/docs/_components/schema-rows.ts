/**
 * Turns the OpenAPI document's JSON Schemas into table rows (field, type, required, constraints, description),
 * so the docs are generated from the document the routes validate with, never typed out a second time.
 */

export type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

export type SchemaRow = { field: string; type: string; required: boolean; constraints: string[]; description: string };

// zod writes the safe-integer range on every int; it is noise to a reader.
const isSafeIntegerBound = (value: number | undefined) => value !== undefined && Math.abs(value) === Number.MAX_SAFE_INTEGER;

export function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(" | ");
  if (schema.enum) return "string";
  if (schema.type === "array") return `${schema.items && Object.keys(schema.items).length > 0 ? typeOf(schema.items) : "any"}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (schema.type === "object" && !schema.properties && schema.additionalProperties) return "object (any keys)";
  return schema.type ?? "any JSON";
}

export function constraintsOf(schema: JsonSchema): string[] {
  const found: string[] = [];
  if (schema.enum) found.push(`one of ${schema.enum.map((value) => JSON.stringify(value)).join(", ")}`);
  if (schema.format) found.push(`format: ${schema.format}`);
  if (schema.exclusiveMinimum !== undefined) found.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined && !isSafeIntegerBound(schema.minimum)) found.push(`≥ ${schema.minimum.toLocaleString("en-US")}`);
  if (schema.maximum !== undefined && !isSafeIntegerBound(schema.maximum)) found.push(`≤ ${schema.maximum.toLocaleString("en-US")}`);
  if (schema.minLength !== undefined) found.push(`at least ${schema.minLength} chars`);
  if (schema.maxLength !== undefined) found.push(`at most ${schema.maxLength} chars`);
  if (schema.minItems !== undefined) found.push(`at least ${schema.minItems} items`);
  if (schema.maxItems !== undefined) found.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined) found.push(`default ${JSON.stringify(schema.default)}`);
  return found;
}

/** One row per property, nested objects and arrays of objects flattened with dotted paths (`results[].index`). */
export function schemaRows(schema: JsonSchema, prefix = ""): SchemaRow[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const field = prefix + name;
    const row: SchemaRow = { field, type: typeOf(property), required: required.has(name), constraints: constraintsOf(property), description: property.description ?? "" };
    const nested = property.type === "array" ? property.items : property;
    const children = nested?.properties ? schemaRows(nested, property.type === "array" ? `${field}[].` : `${field}.`) : [];
    return [row, ...children];
  });
}

/** A union (verify's valid and invalid answers) is shown as one table per variant. */
export function schemaVariants(schema: JsonSchema): JsonSchema[] {
  const variants = schema.anyOf ?? schema.oneOf;
  return variants && variants.every((variant) => variant.properties) ? variants : [schema];
}
