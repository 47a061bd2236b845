/** Only same-site paths: an absolute or protocol-relative URL here would be an open redirect. */
export function safeCallbackUrl(value: string | undefined | null) {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/dashboard";
  return value;
}
