export type SearchParamValue = string | string[] | undefined;
export type SearchParams = Record<string, SearchParamValue>;

export function firstValue(value: SearchParamValue) {
  return Array.isArray(value) ? value[0] : value;
}

/** A search box's text: trimmed, at most 200 characters, one line; anything else is ignored. */
export function searchText(value: SearchParamValue) {
  const text = firstValue(value)?.trim();
  if (!text || text.length > 200 || /[\u0000-\u001f\u007f]/.test(text)) return undefined;
  return text;
}

/** A positive id cursor (a bigint that fits a JS number), or undefined. */
export function idCursor(value: SearchParamValue) {
  const text = firstValue(value);
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

/** A link to `path` with these query values (empty ones left out). */
export function hrefWith(path: string, values: Record<string, string | number | undefined>) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== "") query.set(name, String(value));
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
