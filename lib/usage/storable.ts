import { isStorableText } from "@/lib/validation/text";

/**
 * What Postgres can store exactly as sent. text and jsonb refuse NUL (22021, 22P05); jsonb refuses an
 * unpaired UTF-16 surrogate (22P02), and text silently stores it as U+FFFD, so `x-\ud800` and `x-\ud801`
 * would become one requestId. The character rule is the one every text field uses (lib/validation/text).
 */
export { isStorableText };

export const storableTextMessage = "must not contain NUL (U+0000) or an unpaired UTF-16 surrogate";

export type MetadataProblem = { message: string; path: Array<string | number> };

type Pending = { value: unknown; depth: number; path: Array<string | number> };

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The first reason metadata cannot be stored, or null. Walks the value with an explicit stack, so a
 * 100,000-level nesting is refused as too deep instead of overflowing the call stack; only once the depth
 * is known to be small does JSON.stringify (which recurses) measure the size. Stops at the first problem.
 */
export function metadataProblem(metadata: Record<string, unknown>, limits: { maxDepth: number; maxBytes: number }): MetadataProblem | null {
  const stack: Pending[] = [{ value: metadata, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value === "boolean") continue;
    if (typeof value === "string") {
      if (!isStorableText(value)) return { message: `Strings in metadata ${storableTextMessage}`, path };
      continue;
    }
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return { message: "Numbers in metadata must be finite", path };
      continue;
    }
    if (typeof value !== "object" || !(Array.isArray(value) || isPlainObject(value))) {
      return { message: "metadata may hold only JSON values (objects, arrays, strings, finite numbers, booleans, null)", path };
    }
    if (depth > limits.maxDepth) return { message: `metadata must be at most ${limits.maxDepth} levels deep`, path };
    if (Array.isArray(value)) {
      // Pushed in reverse so that the first problem found is the first in document order.
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], depth: depth + 1, path: [...path, index] });
      continue;
    }
    const keys = Object.keys(value);
    for (const key of keys) {
      if (!isStorableText(key)) return { message: `Keys in metadata ${storableTextMessage}`, path: [...path, key] };
    }
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index]!;
      stack.push({ value: value[key], depth: depth + 1, path: [...path, key] });
    }
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > limits.maxBytes) {
    return { message: `metadata must be at most ${limits.maxBytes} bytes serialized`, path: [] };
  }
  return null;
}
