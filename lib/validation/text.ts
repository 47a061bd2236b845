import { z } from "zod";

/**
 * Text checks shared by the browser and the server (no server-only imports). What passes them can be stored
 * in Postgres exactly: a `text` column refuses a NUL outright (a 500, not a field error), and an unpaired
 * UTF-16 surrogate is stored as U+FFFD, so two different strings would come back as the same one.
 */

export const unsafeTextMessage = "Remove the unsupported character (a control character or half of an emoji).";

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isControl = (code: number) => code < 0x20 || code === 0x7f;

function firstUnsafeIndex(value: string, refuseControls: boolean): number {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === 0 || (refuseControls && isControl(code)) || isLowSurrogate(code)) return index;
    if (isHighSurrogate(code)) {
      if (!isLowSurrogate(value.charCodeAt(index + 1))) return index;
      index += 1;
    }
  }
  return -1;
}

/** True when Postgres stores `value` exactly: no NUL and no unpaired surrogate. Line breaks and tabs are fine. */
export function isStorableText(value: string): boolean {
  return firstUnsafeIndex(value, false) === -1;
}

/** True for a one-line label: storable, and free of control characters (tab, line break, bell, DEL…). */
export function isSingleLineText(value: string): boolean {
  return firstUnsafeIndex(value, true) === -1;
}

/**
 * A trimmed one-line text field (a name). Chain the length rules after it:
 * `safeText().min(1, "Enter a name.").max(100, "Use at most 100 characters.")`.
 */
export function safeText(message = unsafeTextMessage) {
  return z.string().trim().refine(isSingleLineText, message);
}
