/**
 * CSV cells for the audit export. A cell that a spreadsheet would read as a formula (starting with = + - @,
 * a tab or a carriage return) is prefixed with ' so it is shown as text, never run (OWASP "CSV injection").
 * Private to the admin console for now; the shared lib/csv.ts replaces it when both land.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
