/**
 * One CSV cell, and one line of cells, as RFC 4180 writes them, with the spreadsheet formula-injection guard
 * (dub's convert-to-csv): text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula
 * (or becomes one after the spreadsheet trims it) when opened in Excel, Sheets or LibreOffice, so it gets a
 * leading `'`, which they show as text. Numbers are written as numbers: they are ours, never the client's.
 */

const formulaStart = /^[=+\-@\t\r]/;
const needsQuoting = /[",\r\n]/;

export type CsvValue = string | number | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const guarded = formulaStart.test(value) ? `'${value}` : value;
  return needsQuoting.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** A record ending in CRLF, the line break RFC 4180 names. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
